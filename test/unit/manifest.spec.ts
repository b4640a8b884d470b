import Ajv from 'ajv';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { manifest } from '../../src/tenants/manifest';

describe('manifest.json', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '../manifest.schema.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true }).compile(schema);

  it('matches its JSON schema', () => {
    const ok = validate(manifest());
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('asks for exactly the permissions the product uses, and registers the menu entry and the company pod', () => {
    expect(manifest().permissions.map((p) => p.id)).toEqual([
      'Companies.CompanyMaintenance.Inquire',
      'Finance.Agreements.Inquire',
      'Finance.Agreements.Add',
      'Finance.Agreements.Edit',
      'Procurement.ProductCatalog.Inquire',
      'System.TableSetup.Inquire',
      'System.TableSetup.ManageHostedApi',
    ]);
    expect(manifest().hostedEntries.map((e) => e.kind)).toEqual(['menu', 'pod']);
    expect(manifest().oauth.callbackPath).toBe('/appriver/oauth/callback');
  });

  it('rejects a manifest with a pod that does not receive the record id', () => {
    const broken = structuredClone(manifest());
    (broken.hostedEntries[1] as { path: string }).path = '/pod/company';
    expect(validate(broken)).toBe(false);
  });
});
