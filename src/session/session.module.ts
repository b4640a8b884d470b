import { Global, Module } from '@nestjs/common';
import { SessionController } from './session.controller';
import { SessionGuard } from './session.guard';
import { SessionService } from './session.service';

/** SessionTokens itself is provided by AppModule: it is built from the encryption key at boot. */
@Global()
@Module({
  controllers: [SessionController],
  providers: [SessionService, SessionGuard],
  exports: [SessionGuard],
})
export class SessionModule {}
