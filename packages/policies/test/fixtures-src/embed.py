#!/usr/bin/env python3
"""Writes ../fixtures/<name>.yaml from <name>.yaml here, replacing `{{file}}` with the PEM of ../certs/<file>,
indented like the line it sits on (block scalars). Run after make-certs.sh, then update the goldens."""
import pathlib, re
here = pathlib.Path(__file__).parent
certs = here.parent / 'certs'
for src in sorted(here.glob('*.yaml')):
    def fill(m):
        indent, name = m.group(1), m.group(2)
        pem = (certs / name).read_text().rstrip('\n').split('\n')
        return '\n'.join(indent + line for line in pem)
    out = re.sub(r'^( *)\{\{([\w.]+)\}\}$', fill, src.read_text(), flags=re.M)
    (here.parent / 'fixtures' / src.name).write_text(out)
