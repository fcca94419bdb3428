/**
 * Unsaved edits kept in sessionStorage per item (and one for a new item), so a reload or an expired session
 * does not lose them: the editor offers to restore a draft newer than what it loaded. Cleared on save.
 */
export interface StoredDraft {
  title: string;
  type: string;
  platforms: string[];
  body: string;
  /** The version the edits were made on (null for a new item). */
  baseVersion: number | null;
  savedAt: string;
}

const key = (org: string, id: string | undefined) => `cos:editor-draft:${org}:${id ?? 'new'}`;

export function readDraft(org: string, id: string | undefined): StoredDraft | null {
  try {
    const raw = sessionStorage.getItem(key(org, id));
    return raw ? (JSON.parse(raw) as StoredDraft) : null;
  } catch {
    return null;
  }
}

export function writeDraft(org: string, id: string | undefined, draft: StoredDraft): void {
  try {
    sessionStorage.setItem(key(org, id), JSON.stringify(draft));
  } catch {
    // Storage full or disabled: the unsaved-changes guard still protects the edits in this tab.
  }
}

export function clearDraft(org: string, id: string | undefined): void {
  try {
    sessionStorage.removeItem(key(org, id));
  } catch {
    // Nothing to clear.
  }
}
