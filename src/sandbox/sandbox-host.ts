/**
 * Where this process listens, known only after `listen()`. The simulators live in the same process, so in
 * sandbox mode the ConnectWise and AppRiver hosts resolve here.
 */
export class SandboxHost {
  private origin: string | null = null;

  setOrigin(origin: string): void {
    this.origin = origin.replace(/\/$/, '');
  }

  get url(): string {
    if (!this.origin) throw new Error('The sandbox is not listening yet');
    return this.origin;
  }
}
