import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { VendorAccount, VendorService, VendorSubscription } from '../appriver/vendor.entities';
import { AccountMapping, ServiceMapping } from '../mapping/mapping.entities';
import { InProcessJobRunner, JobRunner } from './job-runner';
import { SyncController } from './sync.controller';
import { SyncRun, UnmappedItem, UsageLine } from './sync.entities';
import { SyncService } from './sync.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      SyncRun,
      UsageLine,
      UnmappedItem,
      VendorAccount,
      VendorService,
      VendorSubscription,
      AccountMapping,
      ServiceMapping,
    ]),
  ],
  controllers: [SyncController],
  providers: [InProcessJobRunner, { provide: JobRunner, useExisting: InProcessJobRunner }, SyncService],
  exports: [SyncService, JobRunner, InProcessJobRunner],
})
export class SyncModule {}
