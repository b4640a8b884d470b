import { Global, Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppRiverConnection, OAuthState } from './appriver-connection.entity';
import { AppRiverApiController, AppRiverOAuthController } from './appriver.controller';
import { ConnectionRepository } from './connection.repository';
import { ConnectionService } from './connection.service';
import { ImportService } from './import.service';
import { KeepAliveService } from './keep-alive.service';
import { TokensService } from './tokens.service';
import { VendorAccount, VendorService, VendorSubscription } from './vendor.entities';

@Global()
@Module({
  imports: [
    PassportModule.register({ session: false }),
    TypeOrmModule.forFeature([
      AppRiverConnection,
      OAuthState,
      VendorAccount,
      VendorService,
      VendorSubscription,
    ]),
  ],
  controllers: [AppRiverApiController, AppRiverOAuthController],
  providers: [ConnectionRepository, TokensService, ImportService, ConnectionService, KeepAliveService],
  exports: [ConnectionRepository, TokensService, ImportService, ConnectionService],
})
export class AppRiverModule {}
