import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { VendorAccount, VendorService } from '../appriver/vendor.entities';
import { SyncRun, UnmappedItem, UsageLine } from '../sync/sync.entities';
import { SyncModule } from '../sync/sync.module';
import { Tenant } from '../tenants/tenant.entity';
import { ReviewController } from './review.controller';
import { WriteBack } from './review.entities';
import { SettingsService } from './settings.service';
import { UsageService } from './usage.service';
import { WriteBackService } from './write-back.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      WriteBack,
      UsageLine,
      UnmappedItem,
      SyncRun,
      VendorAccount,
      VendorService,
      Tenant,
    ]),
    SyncModule,
  ],
  controllers: [ReviewController],
  providers: [UsageService, WriteBackService, SettingsService],
  exports: [UsageService, WriteBackService, SettingsService],
})
export class ReviewModule {}
