import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { closeCompletion } from '@codemirror/autocomplete';
import { editorExtensions, languageExtensions, languageSlot, setErrorMark, type CompletionData } from './editorSetup';
import { statementAt } from '../../electron/api/sqlStatements';

export interface SqlEditorHandle {
  /** The selection when there is one, else the statement under the cursor; with its offset in the document. */
  textToRun(): { text: string; offset: number } | null;
  /** Mark DuckDB's line/column (relative to the text that ran, which started at `offset`). */
  markError(offset: number, text: string, line: number, column: number | null): { line: number; column: number | null } | null;
  clearError(): void;
  /** A statement is running: the completion list is no longer what the user is doing. */
  closeCompletion(): void;
  setDoc(doc: string): void;
  insert(text: string): void;
  focus(): void;
}

interface Props {
  initialDoc: string;
  completion: CompletionData | null;
  onRun(): void;
  onChange(doc: string): void;
}

export const SqlEditor = forwardRef<SqlEditorHandle, Props>(function SqlEditor({ initialDoc, completion, onRun, onChange }, ref) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const hooks = useRef({ onRun, onChange });
  hooks.current = { onRun, onChange };

  useEffect(() => {
    const state = EditorState.create({
      doc: initialDoc,
      extensions: editorExtensions({ run: () => hooks.current.onRun(), onChange: (d) => hooks.current.onChange(d) }, completion),
    });
    const v = new EditorView({ state, parent: host.current! });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Completion metadata arrives after the editor exists; swap it in without touching the text.
  useEffect(() => {
    view.current?.dispatch({ effects: languageSlot.reconfigure(languageExtensions(completion)) });
  }, [completion]);

  useImperativeHandle(ref, () => ({
    textToRun() {
      const v = view.current;
      if (!v) return null;
      const sel = v.state.selection.main;
      const doc = v.state.doc.toString();
      const r = sel.empty ? statementAt(doc, sel.head) : { start: sel.from, end: sel.to };
      if (!r) return null;
      // Leading blank lines are dropped so history reads well; the offset keeps marks in place.
      const raw = doc.slice(r.start, r.end);
      const lead = /^\s*/.exec(raw)![0].length;
      return { text: raw.slice(lead).replace(/\s+$/, ''), offset: r.start + lead };
    },
    markError(offset, text, line, column) {
      const v = view.current;
      if (!v) return null;
      const lines = text.split('\n');
      let pos = offset;
      for (let i = 0; i < Math.min(line - 1, lines.length - 1); i++) pos += lines[i]!.length + 1;
      const lineText = lines[Math.min(line, lines.length) - 1] ?? '';
      const col = column === null ? 0 : Math.min(column - 1, lineText.length);
      const from = Math.min(pos + col, v.state.doc.length);
      const word = /^[\w."']+|^./.exec(lineText.slice(col))?.[0] ?? '';
      const to = column === null ? from : Math.min(from + Math.max(1, word.length), v.state.doc.length);
      v.dispatch({ effects: setErrorMark.of({ from, to }), selection: { anchor: from }, scrollIntoView: true });
      const docLine = v.state.doc.lineAt(from);
      return { line: docLine.number, column: column === null ? null : from - docLine.from + 1 };
    },
    clearError() {
      view.current?.dispatch({ effects: setErrorMark.of(null) });
    },
    closeCompletion() {
      if (view.current) closeCompletion(view.current);
    },
    setDoc(doc) {
      const v = view.current;
      if (!v) return;
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: doc }, selection: { anchor: doc.length } });
      v.focus();
    },
    insert(text) {
      const v = view.current;
      if (!v) return;
      v.dispatch(v.state.replaceSelection(text));
      v.focus();
    },
    focus() {
      view.current?.focus();
    },
  }));

  return <div className="console-editor" ref={host} aria-label="SQL editor" data-testid="sql-editor" />;
});
