import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { must, type Schemas } from '../api/client';
import { useAsync, usePaged } from '../hooks';
import { href, type Route } from '../router';
import { useCan, useSession } from '../session';
import { Async, Badge, Empty, ErrorBox, Facts, PagedTable, Table, Time, ms, percent, useAction } from '../ui/common';
import { LineChart } from '../ui/chart';
import { readParameters, SchemaFields, type FormSchema } from '../ui/schema-form';
import { rangeQuery, RangePicker, type RangeName } from '../ui/range';
import { ExecutionView } from './executions';

type Agent = Schemas['api.agents.agent'];

export function AgentsPage({ route }: { route: Route }): JSX.Element {
  const name = route.segments[1];
  return name ? <AgentDetail name={name} range={(route.query.get('range') as RangeName | null) ?? 'day'} /> : <AgentList />;
}

function AgentList(): JSX.Element {
  const { api } = useSession();
  const agents = useAsync(async () => {
    const all: Agent[] = [];
    let cursor: string | undefined;
    // Agents are few (a registry, not a log): read them all to group them by team.
    do {
      const page = await must(api.GET('/agents', { params: { query: { limit: 200, ...(cursor ? { cursor } : {}) } } }));
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return all;
  }, []);
  return (
    <>
      <h1>Agents</h1>
      <Async state={agents}>
        {(items) => {
          if (items.length === 0) return <Empty>No agents are defined. Add them in hookhub.yaml or import Markdown definitions.</Empty>;
          const teams = new Map<string, Agent[]>();
          for (const a of items) teams.set(a.team ?? '(no team)', [...(teams.get(a.team ?? '(no team)') ?? []), a]);
          return [...teams.entries()].map(([team, list]) => (
            <section key={team} aria-labelledby={`team-${team}`}>
              <h2 id={`team-${team}`}>{team}</h2>
              <Table head={['Agent', 'Runner', 'State', 'Running', 'Last run', 'Last outcome']} label={`Agents of ${team}`}>
                {list.map((a) => (
                  <tr key={a.name}>
                    <td>
                      <a href={href(`agents/${a.name}`)}>{a.name}</a>
                    </td>
                    <td>{a.runner.kind}</td>
                    <td>
                      <Badge status={a.enabled ? 'enabled' : 'disabled'} />
                    </td>
                    <td>{a.status.running}</td>
                    <td>
                      <Time iso={a.status.lastRunAt} />
                    </td>
                    <td>{a.status.lastOutcome ? <Badge status={a.status.lastOutcome} /> : '—'}</td>
                  </tr>
                ))}
              </Table>
            </section>
          ));
        }}
      </Async>
    </>
  );
}

function AgentDetail({ name, range }: { name: string; range: RangeName }): JSX.Element {
  const { api } = useSession();
  const canRun = useCan('runAgent');
  const canAnalyze = useCan('agentAnalytics');
  const agent = useAsync(() => must(api.GET('/agents/{name}', { params: { path: { name } } })), [name]);
  const recent = usePaged((cursor) => must(api.GET('/executions', { params: { query: { agent: name, limit: 10, ...(cursor ? { cursor } : {}) } } })), [name]);
  return (
    <>
      <p class="crumbs">
        <a href={href('agents')}>Agents</a> / {name}
      </p>
      <h1>Agent {name}</h1>
      <Async state={agent}>
        {(a) => (
          <>
            <Facts
              rows={[
                ['team', a.team],
                ['description', (a as { description?: string }).description],
                ['runner', a.runner.kind],
                ['state', <Badge status={a.enabled ? 'enabled' : 'disabled'} />],
                ['running now', a.status.running],
                ['last run', <Time iso={a.status.lastRunAt} />],
                ['last outcome', a.status.lastOutcome && <Badge status={a.status.lastOutcome} />],
                ['input schema', a.inputSchema],
                ['timeout', ms(a.timeoutMs)],
              ]}
            />
            {canRun && <RunNow agent={a} onFinished={recent.reload} />}
          </>
        )}
      </Async>
      {canAnalyze ? <AgentCharts name={name} range={range} /> : <p class="muted">Duration and success-rate charts need an admin or analyst key.</p>}
      <section aria-labelledby="recent">
        <h2 id="recent">Recent executions</h2>
        <PagedTable
          state={recent}
          label="Recent executions"
          empty="This agent has not run yet."
          head={['Queued', 'Status', 'Duration', 'Execution']}
          row={(x) => (
            <tr key={x.id}>
              <td>
                <Time iso={x.queuedAt} />
              </td>
              <td>
                <Badge status={x.status} />
              </td>
              <td>{ms(x.durationMs)}</td>
              <td>
                <a href={href(`executions/${x.id}`)}>{x.id}</a>
              </td>
            </tr>
          )}
        />
      </section>
    </>
  );
}

function AgentCharts({ name, range }: { name: string; range: RangeName }): JSX.Element {
  const { api } = useSession();
  const report = useAsync(() => must(api.GET('/analytics/agents', { params: { query: { ...rangeQuery(range), agent: name } } })), [name, range]);
  return (
    <section aria-labelledby="agent-charts">
      <h2 id="agent-charts">Duration and success rate</h2>
      <RangePicker page={`agents/${name}`} current={range} />
      <Async state={report}>
        {(r) => {
          const times = r.series.map((b) => b.start);
          return (
            <>
              <p>
                {r.totals.executions} executions · success {percent(r.totals.successRate)} · p50 {ms(r.totals.p50DurationMs)} · p95 {ms(r.totals.p95DurationMs)}
              </p>
              <div class="charts">
                <LineChart
                  title="Duration (ms)"
                  times={times}
                  series={[
                    { label: 'p50', values: r.series.map((b) => b.p50DurationMs), color: '#2563eb' },
                    { label: 'p95', values: r.series.map((b) => b.p95DurationMs), color: '#c2410c' },
                  ]}
                />
                <LineChart title="Success rate (%)" yMax={100} times={times} series={[{ label: 'success', values: r.series.map((b) => (b.successRate === null ? null : b.successRate * 100)), color: '#15803d' }]} />
              </div>
            </>
          );
        }}
      </Async>
    </section>
  );
}

function RunNow({ agent, onFinished }: { agent: Agent; onFinished: () => void }): JSX.Element {
  const { api } = useSession();
  const schema = useAsync(() => must(api.GET('/agents/{name}/input-schema', { params: { path: { name: agent.name } } })), [agent.name]);
  const action = useAction();
  const [executionId, setExecutionId] = useState<string | undefined>(undefined);
  return (
    <section aria-labelledby="run-now" class="card">
      <h2 id="run-now">Run now</h2>
      <Async state={schema}>
        {(s) => {
          const formSchema = (s.schema ?? undefined) as FormSchema | undefined;
          return (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                const form = new FormData(e.currentTarget);
                action.run(async () => {
                  const parameters = formSchema ? readParameters(formSchema, form) : parseJsonObject(String(form.get('parameters') ?? ''));
                  const accepted = await must(api.POST('/agents/{name}/executions', { params: { path: { name: agent.name } }, body: { task: String(form.get('task') ?? ''), parameters } }));
                  setExecutionId('executionId' in accepted ? accepted.executionId : accepted.id);
                  onFinished();
                });
              }}
            >
              <div class="field">
                <label for="run-task">Task *</label>
                <input id="run-task" name="task" required defaultValue={`run ${agent.name} from the console`} />
              </div>
              {formSchema ? (
                <SchemaFields schema={formSchema} />
              ) : (
                <div class="field">
                  <label for="run-params">Parameters (JSON object)</label>
                  <textarea id="run-params" name="parameters" rows={3} defaultValue="{}" />
                </div>
              )}
              <button type="submit" class="primary" disabled={action.busy}>
                Run {agent.name}
              </button>
              {action.error !== undefined && <ErrorBox error={action.error} />}
            </form>
          );
        }}
      </Async>
      {executionId && (
        <div class="run-result" data-execution={executionId}>
          <h3>
            Execution <a href={href(`executions/${executionId}`)}>{executionId}</a>
          </h3>
          <ExecutionView id={executionId} embedded />
        </div>
      )}
    </section>
  );
}

function parseJsonObject(text: string): Record<string, unknown> {
  const value = JSON.parse(text.trim() || '{}') as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('parameters must be a JSON object');
  return value as Record<string, unknown>;
}
