/**
 * The audit log (`/admin/audit`): every operator action, newest first, page by page, narrowed to one
 * action if asked; each player named links to its page. The whole log downloads as JSON or CSV (the
 * download needs the bearer token, so it is fetched and saved as a Blob, not followed as a link).
 */
import {
  AUDIT_ACTIONS,
  type AuditAction,
  type AuditEntry,
  type AuditExportFormat,
} from '@metagameplay/client';
import { useEffect, useRef, useState } from 'react';
import { Screen } from '../components/screen';
import { useGame } from '../game-context';
import { usePagedList } from '../hooks/use-paged-list';
import { useConsole } from './console-context';
import { saveFile } from './download';
import { PagedTable } from './paged-table';
import { PlayerLink } from './player-link';
import { refusal } from './refusal';
import { when } from './when';

const PAGE_SIZE = 20;

function details(value: unknown): string {
  if (value === null || value === undefined) return '—';
  const text = JSON.stringify(value);
  return text === '{}' ? '—' : text;
}

export function AuditPage() {
  const { t, gate, notify } = useGame();
  const { admin, c } = useConsole();
  const [action, setAction] = useState<AuditAction | ''>('');
  const [exporting, setExporting] = useState<AuditExportFormat | null>(null);
  const filter = useRef<AuditAction | ''>('');
  const list = usePagedList<AuditEntry>(async (cursor) => {
    const page = await admin.auditLog({
      limit: PAGE_SIZE,
      ...(cursor === null ? {} : { cursor }),
      ...(filter.current === '' ? {} : { action: filter.current }),
    });
    return { items: page.entries, nextCursor: page.nextCursor };
  });

  useEffect(() => {
    filter.current = action;
    list.reset();
  }, [action]);

  async function download(format: AuditExportFormat): Promise<void> {
    setExporting(format);
    const outcome = await gate.run(() => admin.exportAuditLog(format));
    setExporting(null);
    if (!outcome.ok) {
      if (!outcome.handled) notify({ text: refusal(c, t, outcome.error), tone: 'bad' });
      return;
    }
    const filename = `audit-log.${format}`;
    saveFile(
      outcome.value.text,
      filename,
      outcome.value.contentType || (format === 'csv' ? 'text/csv' : 'application/json'),
    );
    notify({ text: c.audit.exported(filename), tone: 'good' });
  }

  return (
    <Screen heading={c.audit.heading} wide>
      <div className="toolbar">
        <label className="field">
          <span>{c.audit.filter}</span>
          <select
            name="action"
            value={action}
            onChange={(e) => setAction(e.target.value as AuditAction | '')}
          >
            <option value="">{c.audit.allActions}</option>
            {AUDIT_ACTIONS.map((name) => (
              <option key={name} value={name}>
                {c.audit.actions[name] ?? name}
              </option>
            ))}
          </select>
        </label>
        <div className="row-actions">
          <button
            type="button"
            className="button ghost"
            disabled={exporting !== null}
            onClick={() => void download('json')}
          >
            {c.audit.exportJson}
          </button>
          <button
            type="button"
            className="button ghost"
            disabled={exporting !== null}
            onClick={() => void download('csv')}
          >
            {c.audit.exportCsv}
          </button>
        </div>
      </div>
      <PagedTable
        list={list}
        label={c.audit.entries}
        empty={c.audit.empty}
        rowKey={(entry) => entry.id}
        columns={[
          { header: c.audit.columns.when, cell: (entry) => when(entry.createdAt) },
          { header: c.audit.columns.action, cell: (entry) => c.audit.actions[entry.action] ?? entry.action },
          { header: c.audit.columns.admin, cell: (entry) => entry.adminNickname },
          {
            header: c.audit.columns.player,
            cell: (entry) =>
              entry.playerId === null ? (
                '—'
              ) : (
                <PlayerLink id={entry.playerId} nickname={entry.playerNickname ?? entry.playerId} />
              ),
          },
          {
            header: c.audit.columns.item,
            cell: (entry) => (entry.itemId === null ? '—' : `#${entry.itemId}`),
          },
          { header: c.audit.columns.reason, cell: (entry) => entry.reason ?? '—' },
          {
            header: c.audit.columns.details,
            cell: (entry) => <code className="details">{details(entry.details)}</code>,
          },
        ]}
      />
    </Screen>
  );
}
