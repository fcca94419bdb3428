/**
 * Someone saved the item after you loaded it (412), or the API wanted a version to check against (428):
 * what they saved next to what you have, field by field, the body as a line diff, and three ways out.
 */
import { diffLines } from 'diff';
import type { Schemas } from '../../api/client.ts';
import { Button } from '../../ui/Button.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { Time } from '../../ui/Time.tsx';
import { CONTENT_TYPES, type EditorFields } from './editor-fields.ts';

interface Props {
  theirs: Schemas['Content'];
  mine: EditorFields;
  busy: boolean;
  onReloadTheirs: () => void;
  onOverwrite: () => void;
  onCopyMine: () => void;
  onClose: () => void;
}

export function ConflictDialog({ theirs, mine, busy, onReloadTheirs, onOverwrite, onCopyMine, onClose }: Props) {
  const rows: [string, string, string][] = [
    ['Title', theirs.title, mine.title],
    ['Type', typeLabel(theirs.type), typeLabel(mine.type)],
    ['Platforms', theirs.platforms.join(', '), mine.platforms.join(', ')],
  ];
  const parts = diffLines(ensureNewline(theirs.body), ensureNewline(mine.body));
  const bodyChanged = parts.some((p) => p.added || p.removed);
  return (
    <Dialog
      open
      wide
      title="Someone else saved this item"
      onClose={onClose}
      footer={
        <>
          <Button onClick={onCopyMine}>Copy mine</Button>
          <Button onClick={onReloadTheirs}>Reload theirs</Button>
          <Button variant="danger" busy={busy} onClick={onOverwrite}>
            Overwrite with mine
          </Button>
        </>
      }
    >
      <p className="consequence">
        Version {theirs.version} was saved <Time iso={theirs.updatedAt} /> while you were editing. “Reload theirs”
        discards your changes; “Overwrite with mine” saves yours as a new version on top of theirs (their change stays
        in the version history); “Copy mine” puts your body on the clipboard.
      </p>
      <table className="data conflict-fields">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Theirs (saved)</th>
            <th scope="col">Yours (unsaved)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, a, b]) => (
            <tr key={label} className={a === b ? undefined : 'changed'}>
              <th scope="row">{label}</th>
              <td>{a}</td>
              <td>
                {b}
                {a === b ? <span className="muted small"> (same)</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3 className="side-heading">Body {bodyChanged ? '' : '(same)'}</h3>
      <p className="muted small">Lines starting with − are theirs only, + yours only.</p>
      <pre className="line-diff">
        {parts.map((part, i) => {
          const sign = part.added ? '+' : part.removed ? '−' : ' ';
          const cls = part.added ? 'diff-add' : part.removed ? 'diff-del' : 'diff-same';
          const lines = part.value.replace(/\n$/, '').split('\n');
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: diff parts have no identity but their order
            <span key={i} className={cls}>
              {lines.map((line) => `${sign} ${line}\n`).join('')}
            </span>
          );
        })}
      </pre>
    </Dialog>
  );
}

const typeLabel = (type: string) => CONTENT_TYPES.find((t) => t.value === type)?.label ?? type;
const ensureNewline = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);
