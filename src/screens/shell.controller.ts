import { Controller, Get, Inject, Query, Render } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { PUBLIC_ORIGIN, PublicOrigin } from '../tenants/tenants.service';

/**
 * The pages ConnectWise frames. They are shells: no data until the hosted bootstrap has signed the member in,
 * then every fragment and API call carries the bearer token.
 */
@Controller()
export class ShellController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PUBLIC_ORIGIN) private readonly publicOrigin: PublicOrigin,
  ) {}

  private origins(): string {
    const own = this.config.sandbox ? [this.publicOrigin()] : [];
    return [...this.config.connectwise.allowedOrigins, ...own].join(',');
  }

  /** The menu entry "AppRiver Billing": the whole app. */
  @Get('app')
  @Render('screens/app')
  app() {
    return { title: 'AppRiver Billing', cwOrigins: this.origins(), bodyClass: 'app' };
  }

  /** The Company-screen pod: `?id=[cw_id]&screen=[cw_screen]`. */
  @Get('pod/company')
  @Render('screens/pod')
  pod(@Query('id') id?: string) {
    return {
      title: 'AppRiver usage',
      cwOrigins: this.origins(),
      companyId: /^\d+$/.test(id ?? '') ? id : '',
      bodyClass: 'pod',
    };
  }
}
