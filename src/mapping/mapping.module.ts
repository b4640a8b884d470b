import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { VendorAccount, VendorService, VendorSubscription } from '../appriver/vendor.entities';
import { SyncModule } from '../sync/sync.module';
import { Tenant } from '../tenants/tenant.entity';
import { MappingController } from './mapping.controller';
import { AccountMapping, ServiceMapping, Suggestion } from './mapping.entities';
import { MappingService } from './mapping.service';
import { SetupService } from './setup.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      VendorAccount,
      VendorService,
      VendorSubscription,
      AccountMapping,
      ServiceMapping,
      Suggestion,
      Tenant,
    ]),
    SyncModule,
  ],
  controllers: [MappingController],
  providers: [MappingService, SetupService],
  exports: [MappingService],
})
export class MappingModule {}
