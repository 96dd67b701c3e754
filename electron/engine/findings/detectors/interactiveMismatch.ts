import type { Detector } from '../types';
import { num, plural, str } from '../types';
import { findingId } from './sqlParts';

/** Rows whose own isInteractive flag disagrees with the log they came from: a data-quality note. */
export const interactiveMismatch: Detector = {
  kind: 'interactive_mismatch',
  label: 'Interactive flag mismatch',
  async sql() {
    return `WITH f AS (
  SELECT row_id, time_utc, log_type, app_display_name, user_principal_name
  FROM signins
  WHERE (log_type = 'noninteractive' AND is_interactive = true) OR (log_type = 'interactive' AND is_interactive = false)
)
SELECT ${findingId('interactive_mismatch', 'log_type')} AS finding_id,
  'info' AS severity,
  list(row_id ORDER BY time_utc, row_id) AS row_ids,
  log_type, count(*) AS sign_ins, count(DISTINCT user_principal_name) AS users,
  string_agg(DISTINCT app_display_name, ', ') AS apps
FROM f GROUP BY log_type`;
  },
  describe(m) {
    const fromNon = m.log_type === 'noninteractive';
    return {
      title: fromNon ? 'Non-interactive log rows flagged interactive' : 'Interactive log rows flagged non-interactive',
      explanation:
        `${plural(num(m.sign_ins), 'row')} of ${plural(num(m.users), 'user')} (${str(m.apps)}) come from the ${fromNon ? 'non-interactive' : 'interactive'} sign-in log ` +
        `but carry isInteractive = ${fromNon ? 'true' : 'false'}. This is a data-quality note, not an attack: Microsoft documents the flag as unreliable ` +
        '(FIDO2 and Windows Hello sign-ins are a known case); trust the log type.',
    };
  },
};
