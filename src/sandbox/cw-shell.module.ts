import { Module } from '@nestjs/common';
import { CwShellController } from './cw-shell.controller';

/** The simulated ConnectWise shell at /sandbox/cw that frames our hosted pages (sandbox mode only). */
@Module({ controllers: [CwShellController] })
export class CwShellModule {}
