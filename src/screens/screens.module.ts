import { Module } from '@nestjs/common';
import { MappingModule } from '../mapping/mapping.module';
import { MappingScreens } from './mapping.screens';
import { ScreenModels } from './screen-models';
import { ScreensController } from './screens.controller';
import { ShellController } from './shell.controller';

@Module({
  imports: [MappingModule],
  controllers: [ShellController, ScreensController],
  providers: [ScreenModels, MappingScreens],
  exports: [ScreenModels],
})
export class ScreensModule {}
