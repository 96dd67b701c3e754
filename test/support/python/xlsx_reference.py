"""Read an .xlsx export and its source portal CSV independently of the exporter.

argv: XLSX CSV ZONE
stdout: {"sheet": {...what the workbook holds...}, "expected": [[...one row per source record...]]}

The workbook is read with zipfile and xml.etree only (no spreadsheet library): the first
worksheet's cells, shared strings or inline strings, styles' number formats, the frozen
pane, the autofilter and any formula element. The CSV is read with the csv module.
"""
import csv
import json
import re
import sys
import zipfile
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

NS = {'m': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}
M = '{%s}' % NS['m']
BUILTIN_DATE_FORMATS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47}


def unescape(text):
    # OOXML's _xHHHH_ escapes, as Excel reads them (_x005F_ is a literal underscore).
    return re.sub(r'_x([0-9A-Fa-f]{4})_', lambda m: chr(int(m.group(1), 16)), text)


def text_of(node):
    return unescape(''.join(t.text or '' for t in node.iter(M + 't')))


def column_index(ref):
    letters = re.match(r'[A-Z]+', ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def read_xlsx(path):
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        wb_rels = ET.fromstring(z.read('xl/_rels/workbook.xml.rels'))
        wb = ET.fromstring(z.read('xl/workbook.xml'))
        first = wb.find('m:sheets/m:sheet', NS)
        rid = first.get('{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id')
        target = next(r.get('Target') for r in wb_rels if r.get('Id') == rid)
        sheet_path = 'xl/' + target.lstrip('/').replace('xl/', '', 1)
        sheet_xml = z.read(sheet_path)
        shared = []
        if 'xl/sharedStrings.xml' in names:
            shared = [text_of(si) for si in ET.fromstring(z.read('xl/sharedStrings.xml')).findall('m:si', NS)]
        styles = ET.fromstring(z.read('xl/styles.xml'))
    formats = {int(f.get('numFmtId')): f.get('formatCode') for f in styles.findall('m:numFmts/m:numFmt', NS)}
    xfs = [int(x.get('numFmtId', '0')) for x in styles.findall('m:cellXfs/m:xf', NS)]

    def date_style(s):
        fid = xfs[s] if s < len(xfs) else 0
        if fid in BUILTIN_DATE_FORMATS:
            return True
        code = re.sub(r'"[^"]*"|\[[^\]]*\]', '', formats.get(fid, ''))
        return bool(re.search(r'[yd]', code, re.I) and re.search(r'h', code, re.I))

    root = ET.fromstring(sheet_xml)
    rows = []
    for row in root.findall('m:sheetData/m:row', NS):
        cells = []
        for c in row.findall('m:c', NS):
            i = column_index(c.get('r'))
            while len(cells) < i:
                cells.append(None)
            t = c.get('t', 'n')
            v = c.find('m:v', NS)
            if t == 's':
                value = shared[int(v.text)]
            elif t == 'inlineStr':
                value = text_of(c.find('m:is', NS))
            elif t == 'n':
                value = float(v.text) if v is not None else None
            else:
                value = v.text if v is not None else None
            cells.append({'t': t, 'v': value, 'date': date_style(int(c.get('s', '0'))), 'formula': c.find('m:f', NS) is not None})
        rows.append(cells)
    pane = root.find('m:sheetViews/m:sheetView/m:pane', NS)
    af = root.find('m:autoFilter', NS)
    cols = [float(c.get('width')) for c in root.findall('m:cols/m:col', NS) for _ in range(int(c.get('min')), int(c.get('max')) + 1)]
    return {
        'rows': rows,
        'pane': None if pane is None else dict(pane.attrib),
        'autoFilter': None if af is None else af.get('ref'),
        'formulaElements': len(re.findall(rb'<(?:\w+:)?f[ >/]', sheet_xml)),
        'widths': cols,
    }


def excel_serial(iso, zone):
    t = datetime.fromisoformat(iso.replace('Z', '+00:00')).astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    return (t - datetime(1899, 12, 30)).total_seconds() / 86400


def iso_utc(iso):
    return datetime.fromisoformat(iso.replace('Z', '+00:00')).astimezone(timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.%fZ')


def read_csv(path, zone):
    with open(path, newline='', encoding='utf-8-sig') as f:
        recs = list(csv.DictReader(f))
    recs.sort(key=lambda r: r['Request ID'])
    return [
        [r['Request ID'], excel_serial(r['Date (UTC)'], zone), iso_utc(r['Date (UTC)']), r['User'], r['Username'], r['User agent'], r['Failure reason'], r['IP address'], float(r['Sign-in error code'])]
        for r in recs
    ]


def main():
    xlsx, source, zone = sys.argv[1:4]
    json.dump({'sheet': read_xlsx(xlsx), 'expected': read_csv(source, zone)}, sys.stdout)


main()
