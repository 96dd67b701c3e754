// One progress line on stderr: redrawn in place on a terminal, and every tenth otherwise
// (a log file or CI gets a few lines, not thousands).
const MB = 1024 * 1024;

function amount(done, total, unit) {
  if (unit === 'bytes') {
    const mb = (n) => (n / MB).toFixed(1);
    return total ? `${mb(done)} of ${mb(total)} MB` : `${mb(done)} MB`;
  }
  return total ? `${done} of ${total} ${unit}` : `${done} ${unit}`;
}

export function progressLine(stream = process.stderr) {
  let label = null;
  let lastTenth = -1;
  let open = false;
  const finishLine = () => {
    if (open && stream.isTTY) stream.write('\n');
    open = false;
  };
  return {
    update(nextLabel, done, total, unit = 'bytes') {
      if (nextLabel !== label) {
        finishLine();
        label = nextLabel;
        lastTenth = -1;
      }
      const percent = total ? Math.min(100, Math.floor((done / total) * 100)) : null;
      const text = `${label}: ${percent === null ? '' : `${percent}% `}(${amount(done, total, unit)})`;
      if (stream.isTTY) {
        stream.write(`\r${text}\x1b[K`);
        open = true;
        return;
      }
      const tenth = percent === null ? 0 : Math.floor(percent / 10);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        stream.write(`${text}\n`);
      }
    },
    end: finishLine,
  };
}
