"""Which addresses an ip: search matches and how addresses sort, read with Python's ipaddress.

stdin: {"values": [str | null, ...], "terms": [str, ...]}
stdout: {"matches": {term: [index, ...]}, "order": [index, ...]}
"""
import ipaddress
import json
import sys


def address(text):
    """The address a text names; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is that IPv4 address."""
    if text is None or '%' in text:
        return None
    try:
        a = ipaddress.ip_address(text.strip() if text.strip() == text else '\0')
    except ValueError:
        return None
    return a.ipv4_mapped if a.version == 6 and a.ipv4_mapped else a


def network(term):
    """A typed block; one inside ::ffff:0:0/96 is the IPv4 block it maps."""
    net = ipaddress.ip_network(term, strict=False)
    mapped = ipaddress.ip_network('::ffff:0:0/96')
    if net.version == 6 and net.subnet_of(mapped):
        return ipaddress.ip_network((net.network_address.ipv4_mapped, net.prefixlen - 96))
    return net


def matches(term, text):
    if text is None:
        return False
    if term.endswith('*'):
        return text.lower().startswith(term.rstrip('*').lower())
    if '/' in term:
        net = network(term)
        a = address(text)
        return a is not None and a.version == net.version and a in net
    wanted = address(term)
    if wanted is None:
        return text.lower() == term.lower()
    a = address(text)
    return a is not None and a == wanted


def main():
    req = json.load(sys.stdin)
    values = req['values']
    out = {'matches': {t: [i for i, v in enumerate(values) if matches(t, v)] for t in req['terms']}}
    # Addresses by (version, number), then anything else by its text; NULL last.
    def key(i):
        v = values[i]
        a = address(v)
        if a is not None:
            return (0, a.version, int(a), v)
        return (1 if v is not None else 2, 0, 0, v or '')
    out['order'] = sorted(range(len(values)), key=key)
    out['address'] = [address(v) is not None for v in values]
    json.dump(out, sys.stdout)


main()
