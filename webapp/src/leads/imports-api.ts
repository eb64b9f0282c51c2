// The CSV import's calls (POST /api/v1/imports and below; docs/openapi.yaml, tag imports).

import { api } from '../api';

export type ImportMapping = Record<string, string | null>;

export interface Upload {
  id: number;
  file_name: string;
  delimiter: string;
  columns: string[];
  total_rows: number;
  preview: string[][];
  suggested_mapping: ImportMapping;
  status: string;
}

export interface RowError {
  row: number;
  fields: Record<string, string>;
}

export interface DryRun {
  total_rows: number;
  importable_rows: number;
  error_rows: number;
  duplicate_rows: number;
  skip_duplicates: boolean;
  errors: RowError[];
  duplicates: { row: number; leads: number[]; hidden: number; same_as_row?: number }[];
}

export interface ImportState {
  id: number;
  status: 'uploaded' | 'queued' | 'running' | 'done' | 'failed';
  total_rows: number;
  processed_rows: number;
  imported_rows: number;
  error_rows: number;
  duplicate_rows: number;
  progress: number;
  errors?: RowError[];
}

export interface SavedMapping {
  id: number;
  name: string;
  mapping: ImportMapping;
}

export function uploadCsv(fileName: string, text: string): Promise<Upload> {
  return api.request<Upload>('POST', `/api/v1/imports?file_name=${encodeURIComponent(fileName)}`, text, {
    headers: { 'Content-Type': 'text/csv; charset=utf-8' },
  });
}

export function dryRun(id: number, mapping: ImportMapping, skipDuplicates: boolean): Promise<DryRun> {
  return api.post<DryRun>(`/api/v1/imports/${id}/dry-run`, { mapping, skip_duplicates: skipDuplicates });
}

export function commitImport(id: number, mapping: ImportMapping, skipDuplicates: boolean): Promise<ImportState> {
  return api.post<ImportState>(`/api/v1/imports/${id}/commit`, { mapping, skip_duplicates: skipDuplicates });
}

export function getImport(id: number): Promise<ImportState> {
  return api.get<ImportState>(`/api/v1/imports/${id}`);
}

export function listMappings(): Promise<{ items: SavedMapping[] }> {
  return api.get<{ items: SavedMapping[] }>('/api/v1/import-mappings');
}

export function saveMapping(name: string, mapping: ImportMapping): Promise<SavedMapping> {
  return api.post<SavedMapping>('/api/v1/import-mappings', { name, mapping });
}
