import { SandboxHost } from './sandbox-host';
import { World } from './world';

/**
 * In sandbox mode the world's ConnectWise site and its api- host reach the simulator in this process, so the
 * install form takes exactly what a real admin types. Every other host is left to the real network.
 */
export function sandboxCwOrigin(world: World, host: SandboxHost): (h: string) => string {
  const site = world.connectwise.site.toLowerCase();
  const simulated = new Set([site, `api-${site}`]);
  return (h: string) => (simulated.has(h.toLowerCase()) ? host.url : `https://${h}`);
}
