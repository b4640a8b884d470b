import { Module } from '@nestjs/common';
import { MappingModule } from '../mapping/mapping.module';
import { ReviewModule } from '../review/review.module';
import { SyncModule } from '../sync/sync.module';
import { MappingScreens } from './mapping.screens';
import { ReviewScreens } from './review.screens';
import { ScreenModels } from './screen-models';
import { ScreensController } from './screens.controller';
import { ShellController } from './shell.controller';

@Module({
  imports: [MappingModule, ReviewModule, SyncModule],
  controllers: [ShellController, ScreensController],
  providers: [ScreenModels, MappingScreens, ReviewScreens],
  exports: [ScreenModels],
})
export class ScreensModule {}
