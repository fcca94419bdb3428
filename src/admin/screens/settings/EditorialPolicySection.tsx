/** Editorial policy: the approval threshold, prohibited phrases and the required disclaimer content is held to. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Schemas, unwrap } from '../../api/client.ts';
import { Button } from '../../ui/Button.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { ProblemView } from '../../ui/ProblemView.tsx';
import { Skeleton } from '../../ui/Skeleton.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { errorFor, Field, fieldErrors } from './form.tsx';

type Policy = Schemas['EditorialPolicy'];
const key = ['settings', 'editorial-policy'];

export function EditorialPolicySection() {
  const policy = useQuery({
    queryKey: key,
    queryFn: async () => unwrap(await api.GET('/api/v1/editorial-policy')),
  });
  return (
    <section>
      <PageHeader title="Editorial policy" breadcrumb="Settings">
        <p className="muted">
          The rules every item is held to. They apply from the next save or approval; stored scores and compliance flags
          are not recomputed.
        </p>
      </PageHeader>
      {policy.isPending ? (
        <Skeleton lines={6} label="Loading the editorial policy" />
      ) : policy.error ? (
        <ProblemView error={policy.error} onRetry={() => policy.refetch()} />
      ) : (
        <PolicyForm policy={policy.data} />
      )}
    </section>
  );
}

function PolicyForm({ policy }: { policy: Policy }) {
  const [threshold, setThreshold] = useState(String(policy.approvalThreshold));
  const [phrases, setPhrases] = useState(policy.prohibitedPhrases.join('\n'));
  const [disclaimer, setDisclaimer] = useState(policy.requiredDisclaimer ?? '');
  const queryClient = useQueryClient();
  const toast = useToast();
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PUT('/api/v1/editorial-policy', {
          body: {
            approvalThreshold: Number(threshold),
            prohibitedPhrases: phrases
              .split('\n')
              .map((p) => p.trim())
              .filter(Boolean),
            requiredDisclaimer: disclaimer.trim() || null,
          },
        }),
      ),
    onSuccess: (saved) => {
      queryClient.setQueryData(key, saved);
      setPhrases(saved.prohibitedPhrases.join('\n'));
      toast('Editorial policy saved');
    },
  });
  const errors = fieldErrors(save.error);
  return (
    <form
      className="card form-card"
      aria-label="Editorial policy"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <Field
        label="Approval threshold"
        hint="Approval needs a quality score of at least this, 0–10 in steps of 0.1."
        error={errors.approvalThreshold}
      >
        {(props) => (
          <input
            {...props}
            type="number"
            min={0}
            max={10}
            step={0.1}
            required
            value={threshold}
            onChange={(event) => setThreshold(event.target.value)}
            style={{ maxWidth: 120 }}
          />
        )}
      </Field>
      <Field
        label="Prohibited phrases"
        hint={
          'One per line, 2–100 characters, at most 200. Matching ignores case, punctuation and spacing; content ' +
          'containing one is flagged for compliance on save.'
        }
        error={errorFor(errors, 'prohibitedPhrases')}
      >
        {(props) => (
          <textarea {...props} rows={8} value={phrases} onChange={(event) => setPhrases(event.target.value)} />
        )}
      </Field>
      <Field
        label="Required disclaimer"
        hint="Market updates and news analyses must contain it, or their score is capped at 5. Empty: none required."
        error={errors.requiredDisclaimer}
      >
        {(props) => (
          <textarea
            {...props}
            rows={3}
            maxLength={2000}
            value={disclaimer}
            onChange={(event) => setDisclaimer(event.target.value)}
          />
        )}
      </Field>
      {save.error ? <ProblemView error={save.error} compact /> : null}
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={save.isPending}>
          Save policy
        </Button>
      </div>
    </form>
  );
}
