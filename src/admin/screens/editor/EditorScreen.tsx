// TEMPORARY (not committed): renders the workflow panel for a look.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { api, type Schemas, unwrap } from '../../api/client.ts';
import { WorkflowPanel } from '../workflow/WorkflowPanel.tsx';

export default function EditorScreen() {
  const { id } = useParams();
  const [item, setItem] = useState<Schemas['Content'] | null>(null);
  const q = useQuery({
    queryKey: ['tmp', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/content/{id}', { params: { path: { id: id ?? '' } } })),
  });
  const c = item ?? q.data;
  if (!c) return <p>loading</p>;
  return (
    <div style={{ display: 'grid', gridTemplateColumns: '1fr 340px', gap: 16 }}>
      <div className="card">
        <h1>{c.title}</h1>
        <p>
          v{c.version} {c.status}
        </p>
      </div>
      <aside className="card">
        <WorkflowPanel content={c} onChanged={setItem} dirty={false} />
      </aside>
    </div>
  );
}
