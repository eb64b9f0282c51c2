// List operations for the task settings (definitions, recurring schedules, rules): edits
// carry If-Match with the version the admin loaded, and deactivating is an edit.

import {
  createTaskSetting,
  listTaskSettings,
  updateTaskSetting,
  type TaskSettingKind,
} from '../tasks/api';
import type { ListOps } from './ListScreen';

export function taskOps<T extends { id: number; version: number }>(kind: TaskSettingKind): ListOps<T> {
  return {
    load: () => listTaskSettings<T>(kind),
    save: (item, body) => (item === null ? createTaskSetting<T>(kind, body) : updateTaskSetting<T>(kind, item, body)),
    remove: async (item) => {
      await updateTaskSetting<T>(kind, item, { active: false });
    },
    reactivate: (item) => updateTaskSetting<T>(kind, item, { active: true }),
  };
}
