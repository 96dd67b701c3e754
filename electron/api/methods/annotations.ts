import { z } from 'zod';
import { method, type MethodSpec } from '../method';
import { filterState } from '../schemas/filter';

// Tags, bookmarks and notes on rows, and the per-case column layout.
const tag = z.object({ tagId: z.number(), name: z.string(), color: z.string(), rows: z.number() });
const note = z.object({ noteId: z.number(), rowId: z.number(), text: z.string(), createdAt: z.string(), updatedAt: z.string() });
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/);
/** One row, a selection, or every row a filter matches. */
const target = z.union([z.object({ rowIds: z.array(z.number().int()).min(1).max(200000) }), z.object({ filter: filterState })]);

export const columnLayout = z.object({
  preset: z.string().max(64).optional(),
  columns: z
    .array(
      z.object({
        name: z.string().max(64),
        hidden: z.boolean().optional(),
        pinned: z.enum(['left', 'right']).nullable().optional(),
        width: z.number().int().min(20).max(2000).optional(),
      }),
    )
    .max(200),
  autoHideEmpty: z.boolean().optional(),
});
export type ColumnLayout = z.infer<typeof columnLayout>;

export const annotationsMethods = {
  listTags: method(z.object({}), z.array(tag), 'Every tag of the case with how many rows carry it.'),
  createTag: method(z.object({ name: z.string().min(1).max(80), color }), tag, 'Create a named, coloured tag.'),
  updateTag: method(z.object({ tagId: z.number().int(), name: z.string().min(1).max(80).optional(), color: color.optional() }), z.object({}), 'Rename or recolour a tag.'),
  deleteTag: method(z.object({ tagId: z.number().int() }), z.object({}), 'Delete a tag and remove it from every row.'),
  tagRows: method(z.object({ tagId: z.number().int(), target }), z.object({ added: z.number() }), 'Tag one row, a selection, or the whole filtered set.'),
  untagRows: method(z.object({ tagId: z.number().int(), target }), z.object({ removed: z.number() }), 'Remove a tag from rows.'),
  listNotes: method(z.object({ rowId: z.number().int().optional() }), z.array(note), 'Notes of one row, or of the whole case.'),
  addNote: method(z.object({ rowId: z.number().int(), text: z.string().min(1).max(20000) }), note, 'Add a note to a row.'),
  updateNote: method(z.object({ noteId: z.number().int(), text: z.string().min(1).max(20000) }), z.object({}), 'Change a note.'),
  deleteNote: method(z.object({ noteId: z.number().int() }), z.object({}), 'Delete a note.'),
  getColumnLayout: method(z.object({}), columnLayout.nullable(), 'The grid column layout remembered for this case.'),
  setColumnLayout: method(z.object({ layout: columnLayout }), z.object({}), 'Remember the grid column layout for this case.'),
} satisfies Record<string, MethodSpec>;
