import { Module } from '@nestjs/common';

/** The simulated ConnectWise shell at /sandbox/cw that frames our hosted pages. */
@Module({})
export class CwShellModule {}
