/**
 * "Waiting for me": what the signed-in person should act on. Approvers see others' items awaiting approval
 * and compliance review (never their own: four eyes); editors see their drafts and what came back to them.
 * Each list is its own widget, so one failing read does not hide the others.
 */
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { api, type Schemas, unwrap } from '../../api/client.ts';
import { useSession } from '../../auth/session.tsx';
import { CompliancePill, Pill } from '../../ui/Pill.tsx';
import { Time } from '../../ui/Time.tsx';
import { contentListUrl, contentUrl } from '../content-list/list-url.ts';
import { useContentPage } from './dashboard-queries.ts';
import { ItemList, Widget } from './Widget.tsx';

type Content = Schemas['Content'];
/** How many of a list the widget shows; the link opens the rest. */
const SHOWN = 6;
/** Others' items are found among this many (the list API has no "not created by" filter). */
const SCAN = 100;

export function WaitingForMe({ org }: { org: string }) {
  const { can, userId } = useSession();
  const approver = can('content.approve');
  const author = can('content.create') || (!approver && can('content.update_own'));
  if (!approver && !author) {
    return (
      <section className="card widget" aria-labelledby="waiting-heading">
        <h2 id="waiting-heading">Nothing to act on</h2>
        <p className="muted widget-empty">Your role reads content; nothing waits for you to act on.</p>
      </section>
    );
  }
  return (
    <>
      {approver ? <AwaitingApproval org={org} userId={userId} /> : null}
      {approver ? <ComplianceToReview org={org} userId={userId} /> : null}
      {author && userId ? <MyDrafts org={org} userId={userId} /> : null}
      {author && userId ? <ReturnedToMe org={org} userId={userId} /> : null}
    </>
  );
}

function othersOnly(items: Content[], userId: string | null) {
  return items.filter((item) => item.creatorId !== userId);
}

function AwaitingApproval({ org, userId }: { org: string; userId: string | null }) {
  const query = useContentPage({ status: 'pending_approval', sort: 'updated_at', order: 'asc', limit: SCAN });
  return (
    <Widget
      title="Awaiting your approval"
      query={query}
      more={{ to: contentListUrl(org, { status: 'pending_approval' }), label: 'All in review' }}
    >
      {(page) => {
        const others = othersOnly(page.data, userId);
        return (
          <>
            <p className="small muted">
              {countLine(others.length, page.total > SCAN, 'item', 'submitted by others, oldest first')}
            </p>
            <ItemList empty="Nothing submitted by others is waiting for approval.">
              {others.slice(0, SHOWN).map((item) => (
                <ItemRow key={item.id} org={org} item={item} when={item.updatedAt} whenLabel="updated">
                  <CompliancePill value={item.complianceStatus} />
                </ItemRow>
              ))}
            </ItemList>
          </>
        );
      }}
    </Widget>
  );
}

function ComplianceToReview({ org, userId }: { org: string; userId: string | null }) {
  const query = useContentPage({
    status: 'pending_approval',
    compliance: 'pending',
    sort: 'updated_at',
    order: 'asc',
    limit: SCAN,
  });
  return (
    <Widget
      title="Compliance to review"
      query={query}
      more={{ to: contentListUrl(org, { status: 'pending_approval', compliance: 'pending' }), label: 'Open list' }}
    >
      {(page) => {
        const others = othersOnly(page.data, userId);
        return (
          <>
            <p className="small muted">
              {countLine(others.length, page.total > SCAN, 'item', 'in review without a verdict')}
            </p>
            <ItemList empty="No item in review is waiting for a compliance verdict.">
              {others.slice(0, SHOWN).map((item) => (
                <ItemRow key={item.id} org={org} item={item} when={item.updatedAt} whenLabel="updated" />
              ))}
            </ItemList>
          </>
        );
      }}
    </Widget>
  );
}

function MyDrafts({ org, userId }: { org: string; userId: string }) {
  const query = useContentPage({ status: 'draft', creator: userId, sort: 'updated_at', order: 'desc', limit: SHOWN });
  return (
    <Widget
      title="Your drafts"
      query={query}
      more={{
        to: contentListUrl(org, { status: 'draft', creator: userId, sort: 'updated_at' }),
        label: 'All your drafts',
      }}
    >
      {(page) => (
        <>
          <p className="small muted">{countLine(page.total, false, 'draft', 'in all, last edited first')}</p>
          <ItemList empty="You have no drafts.">
            {page.data.map((item) => (
              <ItemRow key={item.id} org={org} item={item} when={item.updatedAt} whenLabel="edited" />
            ))}
          </ItemList>
        </>
      )}
    </Widget>
  );
}

interface Returned {
  item: Content;
  /** Who sent it back and why, in words. */
  reason: string;
}

/**
 * Items sent back to their author: drafts whose latest version is a rejection (with its comment), and items
 * whose compliance was flagged or rejected (with the reviewer's note).
 */
function ReturnedToMe({ org, userId }: { org: string; userId: string }) {
  const query = useQuery({
    queryKey: ['content', 'returned', userId],
    queryFn: async (): Promise<Returned[]> => {
      const list = (query: { status?: 'draft'; compliance?: 'flagged' | 'rejected' }) =>
        api
          .GET('/api/v1/content', {
            params: { query: { ...query, creator: userId, sort: 'updated_at', order: 'desc', limit: 20 } },
          })
          .then(unwrap);
      const [drafts, flagged, rejected] = await Promise.all([
        list({ status: 'draft' }),
        list({ compliance: 'flagged' }),
        list({ compliance: 'rejected' }),
      ]);
      const byCompliance = [...flagged.data, ...rejected.data].map((item) => ({
        item,
        reason: `Compliance ${item.complianceStatus}${item.complianceNote ? `: ${item.complianceNote}` : ''}`,
      }));
      const seen = new Set(byCompliance.map((r) => r.item.id));
      // The latest version of each recent draft says whether an approver sent it back, and why.
      const latest = await Promise.all(
        drafts.data
          .filter((item) => !seen.has(item.id) && item.version > 1)
          .slice(0, 10)
          .map(async (item) => {
            const versions = await api
              .GET('/api/v1/content/{id}/versions', { params: { path: { id: item.id }, query: { limit: 1 } } })
              .then(unwrap);
            const last = versions.data[0];
            return last?.action === 'content.reject'
              ? { item, reason: `Rejected${last.message ? `: ${last.message}` : ''}` }
              : null;
          }),
      );
      const rejectedDrafts = latest.filter((r): r is Returned => r !== null);
      return [...rejectedDrafts, ...byCompliance].sort((a, b) => b.item.updatedAt.localeCompare(a.item.updatedAt));
    },
  });
  return (
    <Widget title="Returned to you" query={query}>
      {(returned) => (
        <ItemList empty="Nothing was sent back to you.">
          {returned.slice(0, SHOWN).map(({ item, reason }) => (
            <ItemRow
              key={item.id}
              org={org}
              item={item}
              when={item.updatedAt}
              whenLabel="returned"
              note={<span className="returned-reason">{reason}</span>}
            />
          ))}
        </ItemList>
      )}
    </Widget>
  );
}

/** "1 item submitted by others", "12+ items …": the + when more exist than were looked at. */
function countLine(count: number, more: boolean, noun: string, what: string) {
  return `${count}${more ? '+' : ''} ${count === 1 && !more ? noun : `${noun}s`} ${what}`;
}

export function ItemRow({
  org,
  item,
  when,
  whenLabel,
  note,
  children,
}: {
  org: string;
  item: Pick<Content, 'id' | 'title' | 'status'>;
  when: string | null;
  whenLabel: string;
  /** A line under the title: why it is here. */
  note?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <li className="widget-item">
      <div className="widget-item-main">
        <Link to={contentUrl(org, item.id)}>{item.title}</Link>
        <span className="small muted">
          {whenLabel} <Time iso={when} mode="relative" />
        </span>
        {note}
      </div>
      <div className="widget-item-side">
        <Pill value={item.status} />
        {children}
      </div>
    </li>
  );
}
