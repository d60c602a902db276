// Webhook operations on the dashboard: test ping, pause/enable, edit, redeliver, rotate secret,
// and the notice for an endpoint disabled after failing (issue 16.3). The API is a fake fetch.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { AppRoutes } from '../App';
import { setSession } from '../api';
import { apiError, fakeJwt, installFakeFetch, json, USER } from '../test/fakeFetch';

afterEach(() => vi.unstubAllGlobals());

const ALL = ['stream.live', 'stream.disconnected', 'stream.reconnected', 'stream.ended', 'vod.ready', 'vod.failed', 'output.active', 'output.failed', 'stream.health'];
const endpoint = (over: Record<string, unknown> = {}) => ({
  id: 'w1', url: 'https://hooks.example.com/ocp', events: ALL, enabled: true, disabledReason: null, disabledAt: null,
  failingSince: null, previousSecretExpiresAt: null, createdAt: '2026-12-01T10:00:00.000Z', ...over,
});
const delivery = (over: Record<string, unknown> = {}) => ({
  id: 'd1', eventId: 'e1', eventType: 'stream.live', status: 'failed', attempts: 8, lastStatusCode: 500, lastError: 'HTTP 500',
  createdAt: '2026-12-01T11:00:00.000Z', deliveredAt: null, ...over,
});

function renderPage() {
  setSession({ token: fakeJwt(3600), user: USER });
  return render(
    <MemoryRouter initialEntries={['/webhooks']}>
      <AppRoutes />
    </MemoryRouter>,
  );
}

describe('WebhooksPage operations', () => {
  it('sends a test event and shows its delivery; redelivers a failed one', async () => {
    let deliveries = [delivery()];
    const { calls } = installFakeFetch({
      'GET /api/webhooks': () => json(200, { endpoints: [endpoint()], nextCursor: null }),
      'GET /api/webhooks/w1/deliveries': () => json(200, { deliveries, nextCursor: null }),
      'POST /api/webhooks/w1/test': () => {
        deliveries = [delivery({ id: 'd2', eventId: 'e2', eventType: 'ping', status: 'succeeded', attempts: 1, lastStatusCode: 204, lastError: null }), ...deliveries];
        return json(202, { delivery: deliveries[0] });
      },
      'POST /api/webhooks/w1/deliveries/d1/redeliver': () => json(202, { delivery: delivery({ status: 'pending' }) }),
    });
    renderPage();
    const user = userEvent.setup();
    const card = await screen.findByTestId('webhook-endpoint');
    await user.click(within(card).getByRole('button', { name: 'Send test event' }));
    expect(await within(card).findByText('Test event sent: see its delivery below.')).toBeInTheDocument();
    const rows = await within(card).findAllByTestId('webhook-delivery');
    expect(rows[0]).toHaveTextContent('ping');
    expect(rows[0]).toHaveTextContent('succeeded');
    await user.click(within(rows[1]!).getByRole('button', { name: 'Redeliver' }));
    expect(calls.some((c) => c.method === 'POST' && c.url.endsWith('/api/webhooks/w1/deliveries/d1/redeliver'))).toBe(true);
    await vi.waitFor(() => expect(within(card).getAllByTestId('webhook-delivery')[1]).toHaveTextContent('pending'));
    // A pending delivery offers no Redeliver button.
    expect(within(within(card).getAllByTestId('webhook-delivery')[1]!).queryByRole('button', { name: 'Redeliver' })).toBeNull();
  });

  it('explains an endpoint disabled after failing, and enabling it clears the notice', async () => {
    const { calls } = installFakeFetch({
      'GET /api/webhooks': () => json(200, { endpoints: [endpoint({ enabled: false, disabledReason: 'failing', disabledAt: '2026-12-03T08:00:00.000Z', failingSince: '2026-11-30T08:00:00.000Z' })], nextCursor: null }),
      'PATCH /api/webhooks/w1': () => json(200, { endpoint: endpoint() }),
    });
    renderPage();
    const user = userEvent.setup();
    const notice = await screen.findByTestId('webhook-auto-disabled');
    expect(notice).toHaveTextContent(/Disabled automatically .* every delivery failed since .*Fix the receiver, send a test event/);
    await user.click(screen.getByRole('button', { name: 'Enable' }));
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ enabled: true });
    await vi.waitFor(() => expect(screen.queryByTestId('webhook-auto-disabled')).toBeNull());
    expect(screen.getByRole('button', { name: 'Pause' })).toBeInTheDocument();
  });

  it('edits URL and events, showing the API refusal of an internal address by the field', async () => {
    const { calls } = installFakeFetch({
      'GET /api/webhooks': () => json(200, { endpoints: [endpoint()], nextCursor: null }),
      'PATCH /api/webhooks/w1': (c) =>
        (c.body as { url: string }).url.includes('169.254')
          ? apiError(400, 'webhook_url_not_allowed', 'Webhook URLs must reach a public address: 169.254.169.254 is a link-local address')
          : json(200, { endpoint: endpoint({ url: (c.body as { url: string }).url, events: (c.body as { events: string[] }).events }) }),
    });
    renderPage();
    const user = userEvent.setup();
    const card = await screen.findByTestId('webhook-endpoint');
    await user.click(within(card).getByRole('button', { name: 'Edit' }));
    const form = within(card).getByRole('form', { name: 'Edit webhook endpoint' });
    const url = within(form).getByLabelText('Endpoint URL');
    expect(url).toHaveValue('https://hooks.example.com/ocp');
    await user.clear(url);
    await user.type(url, 'http://169.254.169.254/latest/meta-data/');
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));
    expect(await within(card).findByText(/169.254.169.254 is a link-local address/)).toBeInTheDocument();
    await user.clear(url);
    await user.type(url, 'https://new.example.com/h');
    await user.click(within(form).getByRole('checkbox', { name: 'vod.ready' }));
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));
    await vi.waitFor(() => expect(within(card).getByText('https://new.example.com/h')).toBeInTheDocument());
    expect(calls.filter((c) => c.method === 'PATCH').at(-1)?.body).toEqual({ url: 'https://new.example.com/h', events: ['vod.ready'] });
    expect(within(card).getByText(/vod.ready · added/)).toBeInTheDocument();
  });

  it('rotates the secret with the chosen overlap and shows the new one once', async () => {
    const { calls } = installFakeFetch({
      'GET /api/webhooks': () => json(200, { endpoints: [endpoint()], nextCursor: null }),
      'POST /api/webhooks/w1/rotate-secret': () => json(200, { endpoint: endpoint({ previousSecretExpiresAt: '2026-12-10T10:00:00.000Z' }), secret: 'whsec_brand_new_secret' }),
    });
    renderPage();
    const user = userEvent.setup();
    const card = await screen.findByTestId('webhook-endpoint');
    await user.selectOptions(within(card).getByLabelText('Overlap after rotation'), '7 days');
    await user.click(within(card).getByRole('button', { name: 'Rotate secret' }));
    await user.click(within(card).getByRole('button', { name: 'Yes, rotate' }));
    expect(calls.find((c) => c.url.endsWith('/rotate-secret'))?.body).toEqual({ overlapSeconds: 7 * 24 * 3600 });
    const shown = await within(card).findByTestId('webhook-new-secret');
    expect(within(shown).getByRole('textbox', { name: 'New signing secret' })).toHaveValue('whsec_brand_new_secret');
    expect(card).toHaveTextContent(/old secret signs too until/);
    await user.click(within(shown).getByRole('button', { name: 'I have saved it' }));
    expect(within(card).queryByTestId('webhook-new-secret')).toBeNull();
  });
});
