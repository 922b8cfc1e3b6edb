import type { Request } from 'express';
import { baseDomainHost, isOnSubdomain, subdomainOf, subdomainTenantResolver } from '../../tenant-runtime/subdomain-tenant-resolver';

/** A request as the resolver sees it: express derives `hostname` from the Host header, without the port. */
const onHost = (hostname: string | undefined) => ({ hostname, params: {} }) as unknown as Request;

describe('the host name of BASE_DOMAIN', () => {
  it('is BASE_DOMAIN itself when it has no port', () => {
    expect(baseDomainHost('example.test')).toBe('example.test');
  });

  it('drops a port written in BASE_DOMAIN', () => {
    expect(baseDomainHost('example.test:3000')).toBe('example.test');
  });

  it('is in lower case', () => {
    expect(baseDomainHost('Example.TEST:8080')).toBe('example.test');
  });
});

describe('the label in front of the base domain', () => {
  it('is the first label of a host one level under it', () => {
    expect(subdomainOf('acme.example.test', 'example.test')).toBe('acme');
  });

  it('is read in lower case from an upper-case host', () => {
    expect(subdomainOf('ACME.Example.Test', 'example.test')).toBe('acme');
  });

  it.each([
    ['the bare base domain', 'example.test'],
    ['a host outside the base domain', 'acme.example.org'],
    ['a host that merely ends with the same letters', 'acmeexample.test'],
    ['a host that contains the base domain further left', 'acme.example.test.evil.org'],
    ['two labels in front of the base domain', 'a.b.example.test'],
    ['an empty label', '.example.test'],
    ['no host at all', undefined],
  ])('is nothing for %s', (_label, hostname) => {
    expect(subdomainOf(hostname, 'example.test')).toBeUndefined();
  });
});

describe('the subdomain tenant resolver', () => {
  const resolve = subdomainTenantResolver('example.test');

  it('names the tenant whose slug is the subdomain, and says it came through a subdomain', () => {
    expect(resolve(onHost('acme.example.test'))).toEqual({ slug: 'acme', onSubdomain: true });
  });

  it('names the same tenant from an upper-case host', () => {
    expect(resolve(onHost('ACME.EXAMPLE.TEST'))).toEqual({ slug: 'acme', onSubdomain: true });
  });

  it('resolves when BASE_DOMAIN carries a port (the request host name never does)', () => {
    expect(subdomainTenantResolver('example.test:3000')(onHost('acme.example.test'))).toEqual({ slug: 'acme', onSubdomain: true });
  });

  it.each([
    ['a reserved word', 'www.example.test'],
    ['another reserved word', 'admin.example.test'],
    ['a double hyphen', 'a--b.example.test'],
    ['a label shorter than a slug', 'ab.example.test'],
    ['a label starting with a hyphen', '-acme.example.test'],
    ['two labels', 'a.b.example.test'],
    ['the bare domain', 'example.test'],
    ['a foreign host', 'acme.example.org'],
  ])('names no tenant on %s', (_label, hostname) => {
    expect(resolve(onHost(hostname))).toBeUndefined();
  });
});

describe('whether a request came in under the base domain', () => {
  it.each([
    ['a tenant subdomain', 'acme.example.test', true],
    ['a subdomain that is not a slug', 'www.example.test', true],
    ['a host two levels under the base domain', 'a.b.example.test', true],
    ['an upper-case subdomain', 'ACME.EXAMPLE.TEST', true],
    ['the bare base domain', 'example.test', false],
    ['a foreign host', 'acme.example.org', false],
    ['a host that merely ends with the same letters', 'acmeexample.test', false],
  ])('answers for %s', (_label, hostname, expected) => {
    expect(isOnSubdomain(onHost(hostname), 'example.test:3000')).toBe(expected);
  });
});
