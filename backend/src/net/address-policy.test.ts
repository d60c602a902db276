import { describe, expect, it } from 'vitest';
import { blockedRange, checkUrlHost, parseCidrList, STRICT_POLICY, urlHost } from './address-policy.js';

// Every spelling an attacker tried (or could) for an internal address, written as a webhook URL.
const REFUSED: [string, string][] = [
  ['http://127.0.0.1:6379/', 'loopback (Redis)'],
  ['http://127.1/', 'short IPv4'],
  ['http://2130706433/', 'decimal 127.0.0.1'],
  ['http://0x7f000001/', 'hex 127.0.0.1'],
  ['http://0x7f.0.0.1/', 'hex first octet'],
  ['http://0177.0.0.1/', 'octal first octet'],
  ['http://017700000001/', 'octal whole'],
  ['http://①②⑦.0.0.1/', 'full-width digits'],
  ['http://0/', 'zero = 0.0.0.0'],
  ['http://0.0.0.0/', 'unspecified'],
  ['http://10.0.0.5/', '10/8'],
  ['http://172.16.3.4/', '172.16/12'],
  ['http://172.31.255.255/', '172.16/12 top'],
  ['http://192.168.1.1/', '192.168/16'],
  ['http://169.254.169.254/latest/meta-data/', 'cloud metadata'],
  ['http://0xa9fea9fe/', 'metadata in hex'],
  ['http://100.64.0.1/', 'CGNAT'],
  ['http://224.0.0.1/', 'multicast'],
  ['http://255.255.255.255/', 'broadcast'],
  ['http://[::1]:5432/', 'IPv6 loopback (PostgreSQL)'],
  ['http://[0:0:0:0:0:0:0:1]/', 'IPv6 loopback long form'],
  ['http://[::]/', 'IPv6 unspecified'],
  ['http://[fd12:3456::1]/', 'IPv6 ULA'],
  ['http://[fe80::1]/', 'IPv6 link-local'],
  ['http://[ff02::1]/', 'IPv6 multicast'],
  ['http://[::ffff:127.0.0.1]/', 'IPv4-mapped loopback'],
  ['http://[::ffff:7f00:1]/', 'IPv4-mapped loopback, hex'],
  ['http://[::ffff:169.254.169.254]/', 'IPv4-mapped metadata'],
  ['http://[::ffff:a00:1]/', 'IPv4-mapped 10.0.0.1'],
  ['http://[2002:7f00:1::]/', '6to4 embedding 127.0.0.1'],
  ['http://[64:ff9b::a9fe:a9fe]/', 'NAT64 embedding metadata'],
  ['http://localhost:8080/api/auth/me', 'localhost'],
  ['http://LOCALHOST./', 'localhost, upper case, trailing dot'],
  ['http://api.localhost/', '*.localhost'],
  ['http://user:pw@127.0.0.1/', 'userinfo before a loopback host'],
  ['https://127.0.0.1:443/', 'https loopback'],
  ['rtmp://0x7f.1/live', 'rtmp, hex loopback (restream destinations)'],
  ['rtmps://[::1]:443/app', 'rtmps, IPv6 loopback'],
  ['srt://10.1.2.3:9000?streamid=x', 'srt, private'],
];

describe('address policy', () => {
  it.each(REFUSED)('refuses %s (%s)', (url) => {
    const r = checkUrlHost(url, STRICT_POLICY);
    expect(r.ok, url).toBe(false);
  });

  it('lets public addresses and names through (names are judged when resolved)', () => {
    for (const url of ['https://hooks.example.com/x', 'http://8.8.8.8/', 'http://[2606:4700::1111]/', 'rtmp://a.rtmp.youtube.com/live2', 'http://11.0.0.1/', 'http://172.32.0.1/']) {
      expect(checkUrlHost(url, STRICT_POLICY), url).toMatchObject({ ok: true });
    }
    expect(checkUrlHost('http://8.8.8.8/', STRICT_POLICY)).toEqual({ ok: true, host: '8.8.8.8', literal: true });
    expect(checkUrlHost('https://Hooks.Example.com./x', STRICT_POLICY)).toEqual({ ok: true, host: 'hooks.example.com', literal: false });
  });

  it('says which kind of address it refused', () => {
    expect(checkUrlHost('http://169.254.169.254/', STRICT_POLICY)).toEqual({ ok: false, reason: '169.254.169.254 is a link-local address' });
    expect(checkUrlHost('http://2130706433/', STRICT_POLICY)).toEqual({ ok: false, reason: '127.0.0.1 is a loopback address' });
    expect(checkUrlHost('http://[::ffff:10.0.0.1]/', STRICT_POLICY)).toEqual({ ok: false, reason: '::ffff:a00:1 is a private-network address' });
  });

  it('judges resolved addresses the same way, IPv4-mapped ones as the IPv4 they carry', () => {
    expect(blockedRange('127.0.0.1', STRICT_POLICY)).toBe('loopback');
    expect(blockedRange('::ffff:192.168.0.1', STRICT_POLICY)).toBe('private');
    expect(blockedRange('fd00::1', STRICT_POLICY)).toBe('uniqueLocal');
    expect(blockedRange('93.184.216.34', STRICT_POLICY)).toBeNull();
    expect(blockedRange('not-an-ip', STRICT_POLICY)).toBe('invalid');
    expect(blockedRange('0x7f.1', STRICT_POLICY)).toBe('invalid'); // resolvers hand back canonical forms only
  });

  it('opt-in: WEBHOOK_ALLOW_PRIVATE allows everything, WEBHOOK_ALLOWED_CIDRS only its ranges', () => {
    const all = { allowPrivate: true, allowedCidrs: [] };
    expect(checkUrlHost('http://127.0.0.1:6379/', all).ok).toBe(true);
    expect(checkUrlHost('http://localhost/', all).ok).toBe(true);
    const some = { allowPrivate: false, allowedCidrs: ['10.20.0.0/16', 'fd00::/8', '127.0.0.1'] };
    expect(checkUrlHost('http://10.20.3.4/', some).ok).toBe(true);
    expect(checkUrlHost('http://[::ffff:10.20.3.4]/', some).ok).toBe(true);
    expect(checkUrlHost('http://10.21.0.1/', some).ok).toBe(false);
    expect(checkUrlHost('http://[fd12::1]/', some).ok).toBe(true);
    expect(checkUrlHost('http://127.0.0.1/', some).ok).toBe(true);
    expect(checkUrlHost('http://localhost/', some).ok).toBe(true);
    expect(checkUrlHost('http://127.0.0.2/', some).ok).toBe(false);
    expect(checkUrlHost('http://169.254.169.254/', some).ok).toBe(false);
  });

  it('parses the CIDR list strictly', () => {
    expect(parseCidrList('10.0.0.0/8, fd00::/8,192.168.1.20')).toEqual(['10.0.0.0/8', 'fd00::/8', '192.168.1.20']);
    expect(parseCidrList('')).toEqual([]);
    expect(parseCidrList('10.0.0.0/33,0x7f.1,intranet')).toEqual({ bad: ['10.0.0.0/33', '0x7f.1', 'intranet'] });
  });

  it('normalises hosts and refuses URLs without one or with other schemes', () => {
    expect(urlHost('rtmp://0x7f.1:1935/app')).toBe('127.0.0.1');
    expect(urlHost('srt://[::1]:9000?streamid=x')).toBe('::1');
    expect(urlHost('ftp://example.com/')).toBeNull();
    expect(urlHost('not a url')).toBeNull();
    expect(checkUrlHost('file:///etc/passwd', STRICT_POLICY).ok).toBe(false);
  });
});
