import { Module } from '@nestjs/common';

/** The simulated AppRiver (Secure Cloud IDP, token endpoint, Secure Cloud resources). */
@Module({})
export class ArSimModule {}
