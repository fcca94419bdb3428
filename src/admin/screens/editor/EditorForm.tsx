import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useDeferredValue, useEffect, useId, useMemo, useRef, useState } from 'react';
import { Link, useBlocker, useNavigate } from 'react-router';
import { ApiError, api, type Schemas, unwrap } from '../../api/client.ts';
import { useSession } from '../../auth/session.tsx';
import { Button } from '../../ui/Button.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { CompliancePill, Pill } from '../../ui/Pill.tsx';
import { ProblemView } from '../../ui/ProblemView.tsx';
import { Time } from '../../ui/Time.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { WorkflowPanel } from '../workflow/WorkflowPanel.tsx';
import { ConflictDialog } from './ConflictDialog.tsx';
import { clearDraft, readDraft, type StoredDraft, writeDraft } from './draft-storage.ts';
import { CONTENT_TYPES, type ContentType, type EditorFields, fieldsOf } from './editor-fields.ts';
import { type EditorMode, MarkdownEditor, type MarkdownEditorHandle } from './MarkdownEditor.tsx';
import { normalizeMarkdown } from './normalize-markdown.ts';
import { PlatformsField } from './PlatformsField.tsx';
import { QualitySidebar } from './QualitySidebar.tsx';
import { renderMarkdown } from './render-preview.ts';
import { storedScore } from './stored-score.ts';
import { useDraftScore } from './use-draft-score.ts';

type Content = Schemas['Content'];
type FieldErrors = Partial<Record<'title' | 'type' | 'platforms' | 'body', string>>;

const EMPTY: EditorFields = { title: '', type: 'market_update', platforms: [], body: '' };
const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const SAVE_SHORTCUT = isMac ? '⌘S' : 'Ctrl+S';

/** The same text, as a save would store it: version diffs only show what changed. */
const unchanged = (a: EditorFields, b: EditorFields) =>
  a.title.trim() === b.title.trim() &&
  a.type === b.type &&
  a.platforms.join('\n') === b.platforms.join('\n') &&
  normalizeMarkdown(a.body) === normalizeMarkdown(b.body);

interface Props {
  org: string;
  /** Null for a new item. */
  initial: Content | null;
  onSaved?: (item: Content) => void;
}

export function EditorForm({ org, initial, onSaved }: Props) {
  const session = useSession();
  const toast = useToast();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const ids = useId();
  const editorRef = useRef<MarkdownEditorHandle>(null);

  const [item, setItem] = useState<Content | null>(initial);
  const [fields, setFields] = useState<EditorFields>(initial ? fieldsOf(initial) : EMPTY);
  const [baseline, setBaseline] = useState<EditorFields>(initial ? fieldsOf(initial) : EMPTY);
  const [ready, setReady] = useState(false);
  const [mode, setMode] = useState<EditorMode>('rich');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<Content | null>(null);
  const [restorable, setRestorable] = useState<StoredDraft | null>(null);
  const leaving = useRef(false);

  const itemId = item?.id;
  const dirty = ready && !unchanged(fields, baseline);

  // Who may change what: the API decides too; this only avoids offering what it would refuse.
  const readOnlyReason = useMemo(() => {
    if (!item) return session.can('content.create') ? null : `The ${session.role} role may not create content.`;
    if (item.status === 'archived')
      return 'Archived content cannot be edited. Restore it from the workflow panel first.';
    if (session.can('content.update')) return null;
    if (session.can('content.update_own'))
      return item.creatorId === session.userId ? null : `The ${session.role} role may only edit content it created.`;
    return `The ${session.role} role may not edit content.`;
  }, [item, session]);
  const readOnly = readOnlyReason !== null;
  // The dry run is for those who may write any content (docs/decisions/0039); others see the stored score.
  const mayScore = session.can('content.create') || session.can('content.update');

  // ---- Score: the API's own dry run while typing; what was stored for those who may not write.
  const live = useDraftScore(org, fields, mayScore && ready);
  const policy = useQuery({
    queryKey: ['editorial-policy', org],
    queryFn: async () => unwrap(await api.GET('/api/v1/editorial-policy')),
    enabled: !mayScore,
  });
  const stored = item && !mayScore ? storedScore(item, policy.data) : undefined;

  // ---- Preview, rendered as a delivery consumer renders the Markdown.
  const deferredBody = useDeferredValue(fields.body);
  const previewHtml = useMemo(() => renderMarkdown(deferredBody), [deferredBody]);

  // ---- Unsaved draft kept per item in sessionStorage; offered back after a reload or a new sign-in.
  useEffect(() => {
    const draft = readDraft(org, initial?.id);
    if (draft && !unchanged(draft as EditorFields, initial ? fieldsOf(initial) : EMPTY)) setRestorable(draft);
  }, [org, initial]);
  useEffect(() => {
    if (!ready || readOnly || restorable) return;
    const timer = setTimeout(() => {
      if (dirty)
        writeDraft(org, itemId, {
          ...fields,
          baseVersion: item?.version ?? null,
          savedAt: new Date().toISOString(),
        });
      else clearDraft(org, itemId);
    }, 400);
    return () => clearTimeout(timer);
  }, [fields, dirty, ready, readOnly, restorable, org, itemId, item?.version]);

  // ---- Leaving with unsaved changes: in-app navigation asks in a dialog, closing the tab asks the browser.
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirty && !leaving.current && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const update = (patch: Partial<EditorFields>) => {
    setFields((current) => ({ ...current, ...patch }));
    setErrors((current) => {
      const next = { ...current };
      for (const key of Object.keys(patch)) delete next[key as keyof FieldErrors];
      return next;
    });
  };

  const loadItem = (next: Content) => {
    setItem(next);
    setFields(fieldsOf(next));
    setBaseline(fieldsOf(next));
    editorRef.current?.setBody(next.body);
    onSaved?.(next);
  };

  // ---- Save: POST a new item, PUT with If-Match an existing one.
  const save = useCallback(
    async (overVersion?: number) => {
      if (readOnly || saving) return;
      const body = normalizeMarkdown(editorRef.current?.serialize() ?? fields.body);
      const payload = { title: fields.title.trim(), type: fields.type, platforms: fields.platforms, body };
      const local: FieldErrors = {};
      if (!payload.title) local.title = 'A title is required.';
      if (payload.platforms.length === 0) local.platforms = 'Choose at least one platform.';
      setErrors(local);
      if (Object.keys(local).length > 0) {
        toast('Fix the highlighted fields before saving.', 'error');
        return;
      }
      setSaving(true);
      setSaveError(null);
      try {
        if (!item) {
          const created = unwrap(await api.POST('/api/v1/content', { body: payload }));
          clearDraft(org, undefined);
          leaving.current = true;
          queryClient.setQueryData(['content', org, created.id], created);
          toast('Created as a draft.');
          navigate(`/o/${org}/content/${created.id}`, { replace: true });
          return;
        }
        const version = overVersion ?? item.version;
        const saved = unwrap(
          await api.PUT('/api/v1/content/{id}', {
            params: { path: { id: item.id }, header: { 'if-match': `"${version}"` } },
            body: payload,
          }),
        );
        setItem(saved);
        // The source view shows what was stored; the rich view already shows the same document.
        setFields((current) => ({ ...current, ...payload, body: mode === 'source' ? body : current.body }));
        setBaseline({ ...payload });
        setConflict(null);
        clearDraft(org, item.id);
        onSaved?.(saved);
        queryClient.invalidateQueries({ queryKey: ['content-list'] });
        toast(`Saved as version ${saved.version}.`);
      } catch (error) {
        if (error instanceof ApiError && (error.status === 412 || error.status === 428) && item) {
          try {
            setConflict(unwrap(await api.GET('/api/v1/content/{id}', { params: { path: { id: item.id } } })));
          } catch (reload) {
            setSaveError(reload);
          }
          return;
        }
        if (error instanceof ApiError && (error.status === 400 || error.status === 422)) {
          const fromApi: FieldErrors = {};
          for (const e of error.problem.errors ?? []) {
            const field = e.path.replace(/^body\./, '').split('.')[0] as keyof FieldErrors;
            if (['title', 'type', 'platforms', 'body'].includes(field)) fromApi[field] = e.message;
          }
          setErrors(fromApi);
        }
        setSaveError(error);
        toast(error instanceof ApiError ? error.problem.title : 'The save failed.', 'error');
      } finally {
        setSaving(false);
      }
    },
    [readOnly, saving, fields, item, org, mode, navigate, queryClient, toast, onSaved],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 's') {
        event.preventDefault();
        void save();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [save]);

  const restoreDraft = () => {
    if (!restorable) return;
    const next = {
      title: restorable.title,
      type: restorable.type as ContentType,
      platforms: restorable.platforms,
      body: restorable.body,
    };
    setFields(next);
    editorRef.current?.setBody(next.body);
    setRestorable(null);
  };

  const saveDisabledReason = readOnly ? readOnlyReason : item && !dirty ? 'No unsaved changes' : null;

  const title = item ? item.title || 'Untitled' : 'New content';
  const err = (name: keyof FieldErrors) => (errors[name] ? `${ids}-${name}-error` : undefined);

  return (
    <div className="editor-screen">
      <PageHeader
        breadcrumb={
          <>
            <Link to={`/o/${org}/content`}>Content</Link> <span aria-hidden="true">/</span>{' '}
            <span>{item ? 'Edit' : 'New'}</span>
          </>
        }
        title={title}
        actions={
          <>
            <span className="save-state muted small" aria-live="polite">
              {saving ? (
                'Saving…'
              ) : dirty ? (
                'Unsaved changes'
              ) : item ? (
                <>
                  Saved <Time iso={item.updatedAt} mode="relative" />
                </>
              ) : (
                'Not saved yet'
              )}
            </span>
            {item ? (
              <Link className="btn btn-secondary" to={`/o/${org}/content/${item.id}/versions`}>
                Version history
              </Link>
            ) : null}
            <Button
              variant="primary"
              busy={saving}
              shortcut={SAVE_SHORTCUT}
              disabledReason={saveDisabledReason}
              onClick={() => void save()}
            >
              {item ? 'Save' : 'Create draft'}
            </Button>
          </>
        }
      >
        {item ? (
          <p className="row small header-pills">
            <Pill value={item.status} />
            <CompliancePill value={item.complianceStatus} />
            <span className="muted">Version {item.version}</span>
          </p>
        ) : null}
      </PageHeader>

      {readOnlyReason ? (
        <p className="notice" role="status">
          <strong>Read only.</strong> {readOnlyReason}
        </p>
      ) : null}
      {restorable ? (
        <div className="warning row restore" role="status">
          <span>
            You have unsaved changes from <Time iso={restorable.savedAt} />
            {item && restorable.baseVersion !== null && restorable.baseVersion !== item.version
              ? `, made on version ${restorable.baseVersion} (the item is now at version ${item.version})`
              : ''}
            .
          </span>
          <Button onClick={restoreDraft}>Restore my changes</Button>
          <Button
            variant="ghost"
            onClick={() => {
              clearDraft(org, itemId);
              setRestorable(null);
            }}
          >
            Discard them
          </Button>
        </div>
      ) : null}
      {saveError ? <ProblemView error={saveError} onRetry={() => void save()} /> : null}

      <div className="editor-layout">
        <div className="editor-main stack">
          <div className="editor-meta">
            <label className="field editor-title">
              <span>Title</span>
              <input
                value={fields.title}
                maxLength={200}
                readOnly={readOnly}
                aria-invalid={errors.title ? true : undefined}
                aria-describedby={err('title')}
                onChange={(event) => update({ title: event.target.value })}
              />
              {errors.title ? (
                <span id={err('title')} className="field-error">
                  {errors.title}
                </span>
              ) : null}
            </label>
            <label className="field">
              <span>Type</span>
              <select
                value={fields.type}
                disabled={readOnly}
                aria-invalid={errors.type ? true : undefined}
                aria-describedby={err('type')}
                onChange={(event) => update({ type: event.target.value as ContentType })}
              >
                {CONTENT_TYPES.map((t) => (
                  <option key={t.value} value={t.value}>
                    {t.label}
                  </option>
                ))}
              </select>
              {errors.type ? (
                <span id={err('type')} className="field-error">
                  {errors.type}
                </span>
              ) : null}
            </label>
          </div>
          <div className="editor-split">
            <div className="field">
              <span id={`${ids}-body-label`}>Body</span>
              <MarkdownEditor
                ref={editorRef}
                value={fields.body}
                mode={mode}
                onModeChange={setMode}
                onChange={(body) => update({ body })}
                onReady={(serialized) => {
                  setFields((current) => ({ ...current, body: serialized }));
                  setBaseline((current) => ({ ...current, body: serialized }));
                  setReady(true);
                }}
                readOnly={readOnly}
                invalid={Boolean(errors.body)}
                describedBy={err('body')}
              />
              {errors.body ? (
                <span id={err('body')} className="field-error">
                  {errors.body}
                </span>
              ) : null}
            </div>
            <section className="preview-pane" aria-labelledby={`${ids}-preview`}>
              <h2 id={`${ids}-preview`} className="side-heading">
                Preview <span className="muted small">(as delivery API consumers render it)</span>
              </h2>
              <article
                className="preview"
                aria-label="Preview"
                // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by DOMPurify in renderMarkdown
                dangerouslySetInnerHTML={{ __html: previewHtml }}
              />
            </section>
          </div>
        </div>

        <aside className="editor-side stack" aria-label="Item details">
          <section className="card" aria-labelledby={`${ids}-quality`}>
            <h2 id={`${ids}-quality`} className="card-title">
              Quality and compliance
            </h2>
            <QualitySidebar
              score={mayScore ? live.data : stored}
              stale={mayScore ? live.stale : policy.isFetching}
              error={mayScore ? live.error : policy.error}
              onRetry={() => (mayScore ? live.refetch() : policy.refetch())}
              caption={mayScore ? 'Scored by the API as you type; nothing is saved.' : 'As scored at the last save.'}
              stored={!mayScore}
              onJump={
                mayScore
                  ? (phrase, field, index, match) => {
                      if (field === 'title') {
                        const input = document.querySelector<HTMLInputElement>('.editor-title input');
                        input?.focus();
                        input?.setSelectionRange(match.start, match.end);
                      } else editorRef.current?.jumpTo(phrase, index, match);
                    }
                  : null
              }
              onInsertDisclaimer={readOnly ? null : (text) => editorRef.current?.appendParagraph(text)}
            />
          </section>
          <section className="card">
            <PlatformsField
              org={org}
              value={fields.platforms}
              readOnly={readOnly}
              error={errors.platforms}
              onChange={(platforms) => update({ platforms })}
            />
          </section>
          {item ? (
            <section className="card" aria-labelledby={`${ids}-workflow`}>
              <h2 id={`${ids}-workflow`} className="card-title">
                Workflow
              </h2>
              <WorkflowPanel
                content={item}
                dirty={dirty}
                onChanged={(next) => {
                  if (dirty) {
                    setItem(next);
                    onSaved?.(next);
                  } else loadItem(next);
                }}
              />
            </section>
          ) : null}
          {item ? (
            <section className="card small" aria-labelledby={`${ids}-versions`}>
              <h2 id={`${ids}-versions`} className="card-title">
                Versions
              </h2>
              <p>
                Version {item.version}, saved <Time iso={item.updatedAt} />.
              </p>
              <Link to={`/o/${org}/content/${item.id}/versions`}>Compare and restore versions</Link>
            </section>
          ) : null}
        </aside>
      </div>

      {conflict ? (
        <ConflictDialog
          theirs={conflict}
          mine={{ ...fields, body: normalizeMarkdown(editorRef.current?.serialize() ?? fields.body) }}
          busy={saving}
          onClose={() => setConflict(null)}
          onReloadTheirs={() => {
            clearDraft(org, conflict.id);
            loadItem(conflict);
            setConflict(null);
            toast(`Loaded version ${conflict.version}.`, 'info');
          }}
          onOverwrite={() => void save(conflict.version)}
          onCopyMine={() => {
            navigator.clipboard
              ?.writeText(normalizeMarkdown(editorRef.current?.serialize() ?? fields.body))
              .then(() => toast('Your body is on the clipboard.', 'info'))
              .catch(() => toast('The clipboard is not available here.', 'error'));
          }}
        />
      ) : null}

      <Dialog
        open={blocker.state === 'blocked'}
        title="Leave with unsaved changes?"
        onClose={() => blocker.reset?.()}
        footer={
          <>
            <Button onClick={() => blocker.reset?.()}>Keep editing</Button>
            <Button
              variant="danger"
              onClick={() => {
                clearDraft(org, itemId);
                blocker.proceed?.();
              }}
            >
              Discard changes
            </Button>
          </>
        }
      >
        <p className="consequence">Your changes to this item have not been saved. Discarding them cannot be undone.</p>
      </Dialog>
    </div>
  );
}
