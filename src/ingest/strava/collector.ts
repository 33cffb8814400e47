/**
 * What one pass of csv-parse over an activities.csv collects: the header's columns, then each data
 * row as an activity or an error, counting rows against the file's limit.
 */
import type { CsvError } from 'csv-parse/sync';
import type { Activity } from '../../domain/activity.js';
import type { IngestError } from '../ingest-error.js';
import { readHeader, type Columns } from './header.js';
import { unreadableRow } from './messages.js';
import { convertRow } from './row.js';

export class RowCollector {
  columns: Columns | null = null;
  /** Why csv-parse could not read the header line (undefined: it gave no reason); null when it could. */
  headerProblem: CsvError | undefined | null = null;
  /** Data rows seen so far, readable or not. */
  dataRow = 0;
  activities: Activity[] = [];
  errors: IngestError[] = [];

  constructor(
    private readonly source: string,
    private readonly maxRows: number,
  ) {}

  /** Counts a data row; past the limit, drops what was built and tells the caller to stop converting. */
  private countRow(): boolean {
    this.dataRow++;
    if (this.dataRow <= this.maxRows) return true;
    this.activities = [];
    this.errors = [];
    return false;
  }

  /** csv-parse's `on_record`: the header first, then one row. */
  readonly onRecord = (record: string[]): null => {
    if (this.headerProblem !== null) return null;
    if (this.columns === null) {
      this.columns = readHeader(record);
      return null;
    }
    if (!this.countRow()) return null;
    const outcome = convertRow(record, this.columns, this.source, this.dataRow);
    if (outcome === null) return null; // a row of empty cells
    if ('code' in outcome) this.errors.push(outcome);
    else this.activities.push(outcome);
    return null;
  };

  /** csv-parse's `on_skip`: a record it could not read. */
  readonly onSkip = (e: CsvError | undefined): undefined => {
    if (this.columns === null) {
      this.headerProblem ??= e;
      return undefined;
    }
    if (!this.countRow()) return undefined;
    this.errors.push(unreadableRow(e, this.source, this.dataRow));
    return undefined;
  };
}
