/**
 * The books (`/admin/books`): runs the server's audit of the whole database on request (balance =
 * Σ ledger for every player, escrow, the market's fees) and shows its verdict, findings and time.
 */
import type { BooksCheck } from '@metagameplay/client';
import { MAX_REASON_LENGTH, reasonInput } from '@metagameplay/game/admin';
import { useState } from 'react';
import { Screen } from '../components/screen';
import { useGame } from '../game-context';
import { useConsole } from './console-context';
import { DataTable } from './paged-table';
import { refusal } from './refusal';
import { when } from './when';

export function BooksPage() {
  const { t, gate } = useGame();
  const { admin, c } = useConsole();
  const [reason, setReason] = useState('');
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<BooksCheck | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function run(): Promise<void> {
    const given = reasonInput(reason);
    if (given === null && reason.trim() !== '') {
      setProblem(c.reasonProblem);
      return;
    }
    setProblem(null);
    setRunning(true);
    const outcome = await gate.run(() => admin.checkBooks(given === null ? {} : { reason: given }));
    setRunning(false);
    if (outcome.ok) setResult(outcome.value);
    else if (!outcome.handled) setProblem(refusal(c, t, outcome.error));
  }

  return (
    <Screen heading={c.books.heading} wide>
      <p className="hint">{c.books.intro}</p>
      <div className="toolbar">
        <label className="field search">
          <span>{c.reasonOptional}</span>
          <input
            name="reason"
            maxLength={MAX_REASON_LENGTH}
            autoComplete="off"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </label>
        <button type="button" className="button primary" disabled={running} onClick={() => void run()}>
          {c.books.run}
        </button>
      </div>
      <div aria-live="polite">
        {running && (
          <p className="loading" role="status">
            <span className="spinner" aria-hidden="true" />
            {c.books.running}
          </p>
        )}
        {problem !== null && (
          <p className="notice bad" role="alert">
            {problem}
          </p>
        )}
        {result !== null && !running && <BooksResult result={result} />}
      </div>
    </Screen>
  );
}

export function BooksResult({ result }: { result: BooksCheck }) {
  const { c } = useConsole();
  return (
    <section className="console-section" aria-labelledby="books-result">
      <h2 id="books-result" className={result.ok ? 'books-ok' : 'books-bad'}>
        {result.ok && result.findings.length === 0 ? c.books.ok : c.books.findings(result.findings.length)}
      </h2>
      <p className="hint">
        {c.books.checkedAt(when(result.checkedAt))} {c.books.duration(result.durationMs)}
      </p>
      {result.findings.length > 0 && (
        <DataTable
          label={c.books.findings(result.findings.length)}
          rows={result.findings.map((finding, index) => ({ ...finding, index }))}
          rowKey={(finding) => finding.index}
          columns={[
            { header: c.books.check, cell: (finding) => <code>{finding.check}</code> },
            { header: c.books.message, cell: (finding) => finding.message },
          ]}
        />
      )}
    </section>
  );
}
