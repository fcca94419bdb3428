/**
 * The audit log's hash chain, verified by the API (GET /api/v1/audit-log/verify): intact up to the head, or the
 * first broken link and why. The API checks a bounded number of entries per call; this follows `next`.
 */
import { useQuery } from '@tanstack/react-query';
import { api, type Schemas, unwrap } from '../../api/client.ts';
import { Button } from '../../ui/Button.tsx';
import { Pill } from '../../ui/Pill.tsx';
import { ProblemView } from '../../ui/ProblemView.tsx';
import { Skeleton } from '../../ui/Skeleton.tsx';

type Verdict = Schemas['AuditChainVerification'];
type Intact = Schemas['AuditChainIntact'];
type Broken = Schemas['AuditChainBroken'];
// The generated discriminator types `intact` as the schema's name; at run time it is a boolean, and only an
// intact verdict carries `next`.
const isIntact = (v: Verdict): v is Intact => 'next' in v;
const MAX_CALLS = 10;

const reasons: Record<string, string> = {
  entry_missing: 'an entry was deleted',
  link_mismatch: 'an entry does not point at the previous entry’s hash',
  hash_mismatch: 'an entry was edited',
  checkpoint_mismatch: 'an entry differs from what the periodic verification recorded',
  head_mismatch: 'the chain does not end where its head says',
};

export function AuditChain() {
  const verify = useQuery({
    queryKey: ['settings', 'audit-verify'],
    queryFn: async () => {
      let from = 1;
      let checked = 0;
      let last: Verdict | null = null;
      for (let call = 0; call < MAX_CALLS; call++) {
        last = unwrap(await api.GET('/api/v1/audit-log/verify', { params: { query: { from } } }));
        checked += last.checked;
        if (!isIntact(last) || last.next === null) break;
        from = last.next;
      }
      const verdict = last!;
      return { verdict, checked, complete: !isIntact(verdict) || verdict.next === null };
    },
    staleTime: 5 * 60_000,
    retry: false,
  });
  return (
    <div className="card" style={{ marginBottom: 12 }} aria-live="polite">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2 style={{ margin: 0 }}>Tamper check</h2>
        <Button className="btn-small" busy={verify.isFetching} onClick={() => verify.refetch()}>
          Verify again
        </Button>
      </div>
      {verify.isPending ? (
        <Skeleton lines={1} label="Verifying the audit chain" />
      ) : verify.error ? (
        <ProblemView error={verify.error} onRetry={() => verify.refetch()} compact />
      ) : isIntact(verify.data.verdict) ? (
        <p className="row" style={{ margin: '8px 0 0' }}>
          <Pill value="intact" label="Chain intact" />
          <span>
            {verify.data.checked.toLocaleString()} entries rehashed
            {verify.data.complete
              ? ` up to the head (position ${verify.data.verdict.head.position})`
              : ` from position 1; entries after position ${verify.data.verdict.next} were not checked this time`}
            . Nothing was edited, deleted or added behind the API.
          </span>
        </p>
      ) : (
        <BrokenChain verdict={verify.data.verdict as Broken} />
      )}
    </div>
  );
}

function BrokenChain({ verdict }: { verdict: Broken }) {
  return (
    <div className="problem" style={{ marginTop: 8 }}>
      <p className="row">
        <Pill value="broken" label="Chain broken" />
        <strong>
          First broken link at position {verdict.firstBrokenPosition}: {reasons[verdict.reason] ?? verdict.reason}
        </strong>
      </p>
      <p className="small">
        Entry {verdict.entryId ?? 'none'} · expected <code>{verdict.expected}</code> · found{' '}
        <code>{verdict.found}</code>
      </p>
    </div>
  );
}
