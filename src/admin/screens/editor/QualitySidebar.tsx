/**
 * The quality score with its breakdown, the prohibited phrases found (each a button that jumps to it) and the
 * required disclaimer (with an insert button), as the API's own scorer computes them for the text as typed.
 */
import type { Schemas } from '../../api/client.ts';
import { Button } from '../../ui/Button.tsx';
import { ProblemView } from '../../ui/ProblemView.tsx';
import { Skeleton } from '../../ui/Skeleton.tsx';

export type ContentScore = Schemas['ContentScore'];
export type PhraseMatch = Schemas['PhraseMatch'];

const CRITERION_LABELS: Record<string, string> = {
  title: 'Title',
  body_length: 'Length',
  structure: 'Structure',
  readability: 'Readability',
  disclaimer: 'Disclaimer',
};

interface Props {
  score: ContentScore | undefined;
  /** True while a newer text is being scored: the numbers shown are for a slightly older text. */
  stale: boolean;
  error: unknown;
  onRetry: () => void;
  /** Null when the text cannot change (read-only): no jumping to source offsets, no inserting. */
  onJump: ((phrase: string, field: 'title' | 'body', index: number, match: PhraseMatch) => void) | null;
  onInsertDisclaimer: ((text: string) => void) | null;
  caption: string;
  /** The score the last save stored (for people who may not write), not a dry run of the text on screen. */
  stored?: boolean;
}

export function QualitySidebar({ score, stale, error, onRetry, onJump, onInsertDisclaimer, caption, stored }: Props) {
  if (error && !score) return <ProblemView error={error} onRetry={onRetry} compact />;
  if (!score) return <Skeleton lines={4} label="Scoring" />;
  const { qualityBreakdown: breakdown } = score;
  return (
    <div className="stack quality" aria-busy={stale || undefined}>
      <div className="score-line">
        <span className={`score-value ${score.meetsThreshold ? 'score-ok' : 'score-low'}`}>
          {score.qualityScore.toFixed(1)}
          <span className="muted small"> / 10</span>
        </span>
        <span className="small">
          {score.meetsThreshold
            ? `Meets the approval threshold (${score.approvalThreshold})`
            : `Below the approval threshold (${score.approvalThreshold})`}
        </span>
      </div>
      <p className="muted small" aria-live="polite">
        {stale ? 'Updating…' : caption}
      </p>
      {error ? <ProblemView error={error} onRetry={onRetry} compact /> : null}
      <table className="breakdown">
        <caption className="visually-hidden">Score breakdown</caption>
        <tbody>
          {breakdown.criteria
            .filter((c) => c.name !== 'disclaimer')
            .map((c) => (
              <tr key={c.name}>
                <th scope="row">{CRITERION_LABELS[c.name] ?? c.name}</th>
                <td className="num">
                  {c.score}/{c.max}
                </td>
                <td>
                  <meter min={0} max={c.max} value={c.score} aria-hidden="true" />
                  <div className="muted small">{c.detail}</div>
                </td>
              </tr>
            ))}
        </tbody>
      </table>
      {breakdown.cap ? (
        <p className="warning small">
          Capped at {breakdown.cap.limit}: {breakdown.cap.reason}.
        </p>
      ) : null}

      <section aria-labelledby="phrases-heading">
        <h3 id="phrases-heading" className="side-heading">
          Prohibited phrases
        </h3>
        {score.prohibitedPhrases.length === 0 ? (
          <p className="muted small">
            {stored ? 'None found at the last save.' : 'None found. Saving would leave compliance pending review.'}
          </p>
        ) : (
          <>
            <p className="small">
              {stored
                ? 'The last save flagged this item for compliance, naming:'
                : 'Saving flags this item for compliance, naming:'}
            </p>
            <ul className="phrase-hits">
              {score.prohibitedPhrases.map((hit) => (
                <li key={hit.phrase}>
                  <strong>“{hit.phrase}”</strong>
                  <ul>
                    {(['title', 'body'] as const).flatMap((field) =>
                      hit[field].map((match, index) => (
                        <li key={`${field}-${match.start}`}>
                          {onJump ? (
                            <button
                              type="button"
                              className="link-button"
                              onClick={() => onJump(hit.phrase, field, index, match)}
                            >
                              Go to “{match.text}” in the {field}
                            </button>
                          ) : (
                            <span>
                              “{match.text}” in the {field}
                            </span>
                          )}
                        </li>
                      )),
                    )}
                  </ul>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section aria-labelledby="disclaimer-heading">
        <h3 id="disclaimer-heading" className="side-heading">
          Disclaimer
        </h3>
        {!score.disclaimer.required ? (
          <p className="muted small">
            {score.disclaimer.text ? 'Not required for this type.' : 'The organization requires no disclaimer.'}
          </p>
        ) : score.disclaimer.present ? (
          <p className="small">
            <span className="pill pill-approved">Present</span> The required disclaimer is in the body.
          </p>
        ) : (
          <div className="stack">
            <p className="small">
              <span className="pill pill-compliance-flagged">Missing</span> This type must carry:
            </p>
            <blockquote className="disclaimer-text">{score.disclaimer.text}</blockquote>
            {onInsertDisclaimer ? (
              <Button onClick={() => onInsertDisclaimer(score.disclaimer.text ?? '')}>Insert disclaimer</Button>
            ) : null}
          </div>
        )}
      </section>
    </div>
  );
}
