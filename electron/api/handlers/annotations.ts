import type { HandlersFor } from '../dispatch';
import { columnLayout, type annotationsMethods } from '../methods/annotations';
import { createTag, deleteTag, listTags, tagRows, untagRows, updateTag } from '../../engine/annotations/tags';
import { addNote, deleteNote, listNotes, updateNote } from '../../engine/annotations/notes';
import { getViewSetting, setViewSetting } from '../../engine/annotations/viewSettings';

const LAYOUT_KEY = 'grid.columnLayout';

export const annotationsHandlers: HandlersFor<typeof annotationsMethods> = {
  async listTags(_a, { engine }) {
    return listTags(engine.requireCase());
  },
  async createTag({ name, color }, { engine }) {
    return createTag(engine.requireCase(), name, color);
  },
  async updateTag({ tagId, name, color }, { engine }) {
    await updateTag(engine.requireCase(), tagId, { name, color });
    return {};
  },
  async deleteTag({ tagId }, { engine }) {
    await deleteTag(engine.requireCase(), tagId);
    return {};
  },
  async tagRows({ tagId, target }, { engine }) {
    return { added: await tagRows(engine.requireCase(), tagId, target) };
  },
  async untagRows({ tagId, target }, { engine }) {
    return { removed: await untagRows(engine.requireCase(), tagId, target) };
  },
  async listNotes({ rowId }, { engine }) {
    return listNotes(engine.requireCase(), rowId);
  },
  async addNote({ rowId, text }, { engine }) {
    return addNote(engine.requireCase(), rowId, text);
  },
  async updateNote({ noteId, text }, { engine }) {
    await updateNote(engine.requireCase(), noteId, text);
    return {};
  },
  async deleteNote({ noteId }, { engine }) {
    await deleteNote(engine.requireCase(), noteId);
    return {};
  },
  async getColumnLayout(_a, { engine }) {
    const text = await getViewSetting(engine.requireCase(), LAYOUT_KEY);
    if (!text) return null;
    const parsed = columnLayout.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  },
  async setColumnLayout({ layout }, { engine }) {
    await setViewSetting(engine.requireCase(), LAYOUT_KEY, JSON.stringify(layout));
    return {};
  },
};
