import { Module } from '@nestjs/common';
import { ScreenModels } from './screen-models';
import { ScreensController } from './screens.controller';
import { ShellController } from './shell.controller';

@Module({
  controllers: [ShellController, ScreensController],
  providers: [ScreenModels],
  exports: [ScreenModels],
})
export class ScreensModule {}
