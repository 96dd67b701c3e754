import { Annotation, Compartment, EditorState, StateEffect, StateField, type ChangeSet, type EditorSelection, type Extension, type Transaction } from '@codemirror/state';
import { Decoration, EditorView, drawSelection, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers, placeholder, type Command, type DecorationSet } from '@codemirror/view';
import { HighlightStyle, bracketMatching, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { autocompletion, closeBrackets, closeBracketsKeymap, completeFromList, completionKeymap } from '@codemirror/autocomplete';
import { PostgreSQL, SQLDialect, sql } from '@codemirror/lang-sql';
import { tags } from '@lezer/highlight';

/** DuckDB's SQL: PostgreSQL's plus the words DuckDB adds. */
const DuckDB = SQLDialect.define({
  ...PostgreSQL.spec,
  keywords: `${PostgreSQL.spec.keywords ?? ''} pivot unpivot qualify summarize describe show using sample asof positional semi anti exclude replace columns struct map list union_by_name`,
});

/** Colours come from CSS variables so the editor follows the app's light and dark palettes. */
const highlight = HighlightStyle.define([
  { tag: tags.keyword, color: 'var(--cm-keyword)', fontWeight: '600' },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--cm-string)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--cm-number)' },
  { tag: [tags.lineComment, tags.blockComment], color: 'var(--cm-comment)', fontStyle: 'italic' },
  { tag: [tags.operator, tags.punctuation], color: 'var(--cm-operator)' },
  { tag: [tags.typeName, tags.standard(tags.name)], color: 'var(--cm-type)' },
  { tag: tags.special(tags.name), color: 'var(--cm-name)' },
]);

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '13px', backgroundColor: 'var(--bg)', color: 'var(--fg)' },
  '.cm-content': { fontFamily: 'var(--mono)', caretColor: 'var(--fg)', padding: '6px 0' },
  '.cm-gutters': { backgroundColor: 'var(--panel)', color: 'var(--muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine': { backgroundColor: 'var(--cm-active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--cm-active-line)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: 'var(--cm-selection) !important' },
  '&.cm-focused': { outline: 'none' },
  '.cm-cursor': { borderLeftColor: 'var(--fg)' },
  '.cm-scroller': { overflow: 'auto', fontFamily: 'var(--mono)' },
  '.cm-tooltip': { backgroundColor: 'var(--bg)', border: '1px solid var(--border)', color: 'var(--fg)' },
  '.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: 'var(--accent)', color: '#fff' },
  '.cm-sql-error': { textDecoration: 'underline wavy var(--bad)', textUnderlineOffset: '3px', backgroundColor: 'color-mix(in srgb, var(--bad) 14%, transparent)' },
  '.cm-sql-error-line': { backgroundColor: 'color-mix(in srgb, var(--bad) 8%, transparent)' },
  '.cm-placeholder': { color: 'var(--muted)' },
});

// ---- the error mark: DuckDB's line and column shown in the text ----

export const setErrorMark = StateEffect.define<{ from: number; to: number } | null>();

const errorField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, tr) {
    for (const e of tr.effects) {
      if (!e.is(setErrorMark)) continue;
      if (!e.value) return Decoration.none;
      const { from, to } = e.value;
      const line = tr.state.doc.lineAt(from);
      const ranges = [Decoration.line({ class: 'cm-sql-error-line' }).range(line.from)];
      if (to > from) ranges.push(Decoration.mark({ class: 'cm-sql-error' }).range(from, to));
      return Decoration.set(ranges, true);
    }
    // Editing the text makes the old position meaningless.
    return tr.docChanged ? Decoration.none : marks.map(tr.changes);
  },
  provide: (f) => EditorView.decorations.from(f),
});

// ---- undo / redo: a small history of inverted changes ----

interface UndoEntry {
  changes: ChangeSet;
  selection: EditorSelection;
}
interface UndoStacks {
  done: UndoEntry[];
  undone: UndoEntry[];
}
const historyStep = Annotation.define<true>();
const setStacks = StateEffect.define<UndoStacks>();

const undoStacks = StateField.define<UndoStacks>({
  create: () => ({ done: [], undone: [] }),
  update(value, tr: Transaction) {
    for (const e of tr.effects) if (e.is(setStacks)) return e.value;
    if (!tr.docChanged || tr.annotation(historyStep)) return value;
    const entry = { changes: tr.changes.invert(tr.startState.doc), selection: tr.startState.selection };
    return { done: [...value.done.slice(-199), entry], undone: [] };
  },
});

function stepHistory(kind: 'undo' | 'redo'): Command {
  return (view) => {
    const stacks = view.state.field(undoStacks);
    const from = kind === 'undo' ? stacks.done : stacks.undone;
    const entry = from[from.length - 1];
    if (!entry) return false;
    const inverse = { changes: entry.changes.invert(view.state.doc), selection: view.state.selection };
    const rest = from.slice(0, -1);
    const next = kind === 'undo' ? { done: rest, undone: [...stacks.undone, inverse] } : { done: [...stacks.done, inverse], undone: rest };
    view.dispatch({ changes: entry.changes, selection: entry.selection, effects: setStacks.of(next), annotations: historyStep.of(true), scrollIntoView: true });
    return true;
  };
}

const indentWithSpaces: Command = (view) => {
  view.dispatch(view.state.replaceSelection('  '));
  return true;
};

export interface EditorHooks {
  /** Ctrl/Cmd+Enter. */
  run(): void;
  onChange(doc: string): void;
}

export interface CompletionData {
  tables: Record<string, string[]>;
  functions: string[];
}

/** The language with the case's tables and DuckDB's functions; swapped in when they arrive. */
export const languageSlot = new Compartment();

export function languageExtensions(completion: CompletionData | null): Extension[] {
  const functions = (completion?.functions ?? []).map((name) => ({ label: name, type: 'function', apply: `${name}(`, boost: -1 }));
  return [
    sql({ dialect: DuckDB, schema: completion?.tables ?? {}, defaultTable: 'signins', upperCaseKeywords: true }),
    DuckDB.language.data.of({ autocomplete: completeFromList(functions) }),
  ];
}

export function editorExtensions(hooks: EditorHooks, completion: CompletionData | null): Extension[] {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightActiveLine(),
    drawSelection(),
    EditorState.allowMultipleSelections.of(false),
    EditorState.tabSize.of(2),
    indentOnInput(),
    bracketMatching(),
    closeBrackets(),
    syntaxHighlighting(highlight),
    languageSlot.of(languageExtensions(completion)),
    autocompletion({ activateOnTyping: true, maxRenderedOptions: 80 }),
    errorField,
    undoStacks,
    keymap.of([
      { key: 'Mod-Enter', run: () => (hooks.run(), true), preventDefault: true },
      { key: 'Mod-z', run: stepHistory('undo'), preventDefault: true },
      { key: 'Mod-y', run: stepHistory('redo'), preventDefault: true },
      { key: 'Mod-Shift-z', run: stepHistory('redo'), preventDefault: true },
      ...closeBracketsKeymap,
      ...completionKeymap,
      { key: 'Tab', run: indentWithSpaces },
    ]),
    placeholder('SELECT … FROM signins   (Ctrl+Enter runs the statement under the cursor)'),
    EditorView.updateListener.of((u) => {
      if (u.docChanged) hooks.onChange(u.state.doc.toString());
    }),
    theme,
  ];
}
