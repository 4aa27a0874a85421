import { expect, type APIRequestContext } from '@playwright/test';
import { admin } from '../playwright.config';

/** The REST API as a script uses it: HTTP Basic, JSON bodies, CB-Spider's spellings. */
export class Rest {
  constructor(private readonly request: APIRequestContext) {}

  private headers() {
    const basic = Buffer.from(`${admin.username}:${admin.password}`).toString('base64');
    return { Authorization: `Basic ${basic}` };
  }

  async call(method: 'GET' | 'POST' | 'DELETE', path: string, data?: unknown) {
    const response = await this.request.fetch(`/spider${path}`, { method, data, headers: this.headers() });
    const text = await response.text();
    return { status: response.status(), body: text ? JSON.parse(text) : null };
  }

  async ok(method: 'GET' | 'POST' | 'DELETE', path: string, data?: unknown) {
    const answer = await this.call(method, path, data);
    expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBe(200);
    return answer.body;
  }

  /** A mock connection of its own account; `keys` adds credential keys such as DelayAPI. */
  async mockConnection(name: string, keys: Record<string, string> = {}) {
    await this.ok('POST', '/driver', { DriverName: 'e2e-mock-driver', ProviderName: 'MOCK', DriverLibFileName: '' });
    const extra = Object.entries(keys).map(([Key, Value]) => ({ Key, Value }));
    await this.ok('POST', '/credential', {
      CredentialName: `${name}-credential`,
      ProviderName: 'MOCK',
      KeyValueInfoList: [{ Key: 'MockName', Value: name }, ...extra],
    });
    await this.ok('POST', '/region', {
      RegionName: 'e2e-mock-region',
      ProviderName: 'MOCK',
      KeyValueInfoList: [{ Key: 'Region', Value: 'default' }],
    });
    await this.ok('POST', '/connectionconfig', {
      ConfigName: name,
      ProviderName: 'MOCK',
      DriverName: 'e2e-mock-driver',
      CredentialName: `${name}-credential`,
      RegionName: 'e2e-mock-region',
    });
  }

  /** An Azure connection at the ARM emulator `arm`, with CB-Spider's Azure keys. */
  async azureConnection(name: string, arm: string) {
    await this.ok('POST', '/driver', { DriverName: `${name}-driver`, ProviderName: 'AZURE', DriverLibFileName: '' });
    await this.ok('POST', '/credential', {
      CredentialName: `${name}-secret`,
      ProviderName: 'AZURE',
      KeyValueInfoList: [
        { Key: 'ClientId', Value: 'playwright-client' },
        { Key: 'ClientSecret', Value: 'playwright-secret' },
        { Key: 'TenantId', Value: 'playwright-tenant' },
        { Key: 'SubscriptionId', Value: 'playwright-subscription' },
      ],
    });
    await this.ok('POST', '/region', {
      RegionName: `${name}-region`,
      ProviderName: 'AZURE',
      KeyValueInfoList: [
        { Key: 'Region', Value: 'koreacentral' },
        { Key: 'Zone', Value: '1' },
        { Key: 'Endpoint', Value: arm },
        { Key: 'AuthorityHost', Value: arm },
      ],
    });
    await this.ok('POST', '/connectionconfig', {
      ConfigName: name,
      ProviderName: 'AZURE',
      DriverName: `${name}-driver`,
      CredentialName: `${name}-secret`,
      RegionName: `${name}-region`,
    });
  }

  /** Removes what `azureConnection` registered. */
  async removeAzureConnection(name: string) {
    await this.ok('DELETE', `/connectionconfig/${name}`);
    await this.ok('DELETE', `/region/${name}-region`);
    await this.ok('DELETE', `/credential/${name}-secret`);
    await this.ok('DELETE', `/driver/${name}-driver`);
  }

  async createVpc(connection: string, name: string, subnet = 'subnet-01') {
    return this.ok('POST', '/vpc', {
      ConnectionName: connection,
      ReqInfo: { Name: name, IPv4_CIDR: '10.0.0.0/16', SubnetInfoList: [{ Name: subnet, IPv4_CIDR: '10.0.1.0/24' }] },
    });
  }

  /** A security group in `vpc` that lets SSH in. */
  async createSecurityGroup(connection: string, name: string, vpc: string) {
    return this.ok('POST', '/securitygroup', {
      ConnectionName: connection,
      ReqInfo: {
        Name: name,
        VPCName: vpc,
        SecurityRules: [{ Direction: 'inbound', IPProtocol: 'TCP', FromPort: '22', ToPort: '22', CIDR: '0.0.0.0/0' }],
      },
    });
  }

  async vpcNames(connection: string): Promise<string[]> {
    const body = await this.ok('GET', `/vpc?ConnectionName=${encodeURIComponent(connection)}`);
    return body.vpc.map((vpc: { IId: { NameId: string } }) => vpc.IId.NameId);
  }
}
