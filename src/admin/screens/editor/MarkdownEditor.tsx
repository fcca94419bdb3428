/**
 * The body editor: TipTap (StarterKit + its Markdown extension) for rich editing, and a "Markdown source"
 * textarea. Switching serializes the document to Markdown, or parses the source back into it, so the two
 * views hold the same text. Loaded only with the editor screen (a lazy route chunk), never by the dashboard.
 */
import { Markdown } from '@tiptap/markdown';
import { EditorContent, type Editor, useEditor, useEditorState } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import { foldForSearch } from './fold-text.ts';

export type EditorMode = 'rich' | 'source';

export interface MarkdownEditorHandle {
  /** The body as TipTap serializes it (the source first parsed, in source mode). */
  serialize(): string;
  /** Selects the `occurrence`-th match of `phrase` (source mode: at the given offsets) and scrolls to it. */
  jumpTo(phrase: string, occurrence: number, offsets: { start: number; end: number }): void;
  /** Appends a paragraph at the end of the body. */
  appendParagraph(text: string): void;
  /** Replaces the body (a reload or a restored draft); the parent sets its own value. */
  setBody(markdown: string): void;
}

interface Props {
  value: string;
  mode: EditorMode;
  onModeChange: (mode: EditorMode) => void;
  onChange: (markdown: string) => void;
  /** Called once with the loaded body as TipTap serializes it: the baseline "unchanged" is measured against. */
  onReady: (serialized: string) => void;
  readOnly: boolean;
  invalid?: boolean;
  describedBy?: string;
}

const extensions = [StarterKit.configure({ underline: false, link: { openOnClick: false } }), Markdown];

export const MarkdownEditor = forwardRef<MarkdownEditorHandle, Props>(function MarkdownEditor(
  { value, mode, onModeChange, onChange, onReady, readOnly, invalid, describedBy },
  ref,
) {
  const sourceRef = useRef<HTMLTextAreaElement>(null);
  const editor = useEditor({
    extensions,
    content: value,
    contentType: 'markdown',
    editable: !readOnly,
    immediatelyRender: true,
    shouldRerenderOnTransaction: false,
    editorProps: {
      attributes: {
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-label': 'Body',
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        ...(invalid ? { 'aria-invalid': 'true' } : {}),
        ...(readOnly ? { 'aria-readonly': 'true' } : {}),
        class: 'rich-body',
      },
    },
    onCreate: ({ editor: created }) => onReady(created.getMarkdown()),
    onUpdate: ({ editor: updated }) => onChange(updated.getMarkdown()),
  });

  useEffect(() => {
    editor.setEditable(!readOnly, false);
  }, [editor, readOnly]);

  useImperativeHandle(
    ref,
    () => ({
      serialize() {
        if (mode === 'source') editor.commands.setContent(value, { contentType: 'markdown', emitUpdate: false });
        return editor.getMarkdown();
      },
      jumpTo(phrase, occurrence, offsets) {
        if (mode === 'source') {
          const area = sourceRef.current;
          if (!area) return;
          area.focus();
          area.setSelectionRange(offsets.start, offsets.end);
          // Scroll the selection into view: place the caret line roughly in the middle.
          const line = area.value.slice(0, offsets.start).split('\n').length;
          area.scrollTop = Math.max(0, line * 20 - area.clientHeight / 2);
          return;
        }
        selectInDocument(editor, phrase, occurrence);
      },
      setBody(markdown) {
        editor.commands.setContent(markdown, { contentType: 'markdown', emitUpdate: false });
      },
      appendParagraph(text) {
        if (mode === 'source') {
          const next = `${value.replace(/\s+$/, '')}\n\n${text}\n`;
          onChange(next);
          requestAnimationFrame(() => sourceRef.current?.focus());
          return;
        }
        const end = editor.state.doc.content.size;
        editor
          .chain()
          .insertContentAt(end, { type: 'paragraph', content: [{ type: 'text', text }] })
          .focus('end')
          .scrollIntoView()
          .run();
      },
    }),
    [editor, mode, value, onChange],
  );

  const switchTo = (next: EditorMode) => {
    if (next === mode) return;
    if (next === 'source') {
      onChange(editor.getMarkdown());
    } else {
      editor.commands.setContent(value, { contentType: 'markdown', emitUpdate: false });
      onChange(editor.getMarkdown());
    }
    onModeChange(next);
  };

  return (
    <div className={`md-editor${invalid ? ' md-editor-invalid' : ''}`}>
      <div className="md-toolbar" role="toolbar" aria-label="Formatting">
        {mode === 'rich' && !readOnly ? (
          <FormatButtons editor={editor} />
        ) : (
          <span className="muted small">Markdown</span>
        )}
        <label className="md-source-toggle">
          <input
            type="checkbox"
            checked={mode === 'source'}
            onChange={(event) => switchTo(event.target.checked ? 'source' : 'rich')}
          />
          Markdown source
        </label>
      </div>
      <div hidden={mode !== 'rich'}>
        <EditorContent editor={editor} />
      </div>
      {mode === 'source' ? (
        <textarea
          ref={sourceRef}
          className="md-source"
          aria-label="Markdown source"
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          value={value}
          readOnly={readOnly}
          spellCheck
          onChange={(event) => onChange(event.target.value)}
        />
      ) : null}
    </div>
  );
});

function FormatButtons({ editor }: { editor: Editor }) {
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      h2: e.isActive('heading', { level: 2 }),
      h3: e.isActive('heading', { level: 3 }),
      bullet: e.isActive('bulletList'),
      ordered: e.isActive('orderedList'),
      quote: e.isActive('blockquote'),
      code: e.isActive('codeBlock'),
    }),
  });
  const chain = () => editor.chain().focus();
  // A name holds the button's visible text where that text is words (WCAG 2.5.3, label in name): "H2" and
  // "1." are what a voice-control user says to press them.
  const buttons: [string, string, boolean, () => void, string?][] = [
    ['B', 'Bold', state.bold, () => chain().toggleBold().run(), 'Ctrl+B'],
    ['I', 'Italic', state.italic, () => chain().toggleItalic().run(), 'Ctrl+I'],
    ['H2', 'H2 heading', state.h2, () => chain().toggleHeading({ level: 2 }).run()],
    ['H3', 'H3 heading', state.h3, () => chain().toggleHeading({ level: 3 }).run()],
    ['•', 'Bulleted list', state.bullet, () => chain().toggleBulletList().run()],
    ['1.', '1. Numbered list', state.ordered, () => chain().toggleOrderedList().run()],
    ['❝', 'Quote', state.quote, () => chain().toggleBlockquote().run()],
    ['</>', 'Code block', state.code, () => chain().toggleCodeBlock().run()],
  ];
  return (
    <span className="md-buttons">
      {buttons.map(([glyph, label, active, run, shortcut]) => (
        <button
          key={label}
          type="button"
          className="md-button"
          aria-label={label}
          title={shortcut ? `${label} (${shortcut})` : label}
          aria-pressed={active}
          onClick={run}
        >
          {glyph}
        </button>
      ))}
    </span>
  );
}

/** Finds the phrase in the document's text the way the API matches it (case and punctuation folded). */
function selectInDocument(editor: Editor, phrase: string, occurrence: number) {
  const pieces: { text: string; pos: number }[] = [];
  editor.state.doc.descendants((node, pos) => {
    if (node.isText) pieces.push({ text: node.text ?? '', pos });
    else if (node.isBlock && pieces.length > 0) pieces.push({ text: ' ', pos: -1 });
    return true;
  });
  const chars: string[] = [];
  const positions: number[] = [];
  for (const piece of pieces) {
    for (let i = 0; i < piece.text.length; i++) {
      chars.push(piece.text[i]!);
      positions.push(piece.pos < 0 ? -1 : piece.pos + i);
    }
  }
  const folded = foldForSearch(chars.join(''));
  const needle = ` ${foldForSearch(phrase).text.trim()} `;
  let at = -1;
  for (let n = 0; n <= occurrence; n++) {
    at = folded.text.indexOf(needle, at + 1);
    if (at === -1) break;
  }
  if (at === -1) {
    at = folded.text.indexOf(needle);
    if (at === -1) return;
  }
  const from = positions[folded.origin[at + 1]!];
  const to = positions[folded.origin[at + needle.length - 2]!];
  if (from === undefined || to === undefined || from < 0 || to < 0) return;
  editor
    .chain()
    .focus()
    .setTextSelection({ from, to: to + 1 })
    .scrollIntoView()
    .run();
}
