import { Module } from '@nestjs/common';

/** The simulated ConnectWise REST API and its state. */
@Module({})
export class CwSimModule {}
