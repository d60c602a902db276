import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createStream, setSession } from '../../api';
import { StreamForm } from './StreamForm';
import { apiError, fakeJwt, installFakeFetch, json, USER } from '../../test/fakeFetch';

afterEach(() => vi.unstubAllGlobals());

describe('StreamForm', () => {
  it('checks the name before calling the API and ties the message to the field', async () => {
    const onSubmit = vi.fn();
    render(<StreamForm submitLabel="Create stream" onSubmit={onSubmit} />);
    await userEvent.click(screen.getByRole('button', { name: 'Create stream' }));
    const name = screen.getByLabelText('Name');
    expect(onSubmit).not.toHaveBeenCalled();
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(name).toHaveAccessibleDescription('Give the stream a name.');
  });

  it('shows the API validation messages next to the fields they belong to', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    installFakeFetch({
      'POST /api/streams': () =>
        apiError(400, 'validation_error', 'Invalid request body', [
          { path: 'name', message: 'Name is already used by another of your streams' },
          { path: 'description', message: 'Description contains forbidden characters' },
        ]),
    });
    render(<StreamForm submitLabel="Create stream" onSubmit={async (input) => void (await createStream(input))} />);
    await userEvent.type(screen.getByLabelText('Name'), 'Show');
    await userEvent.type(screen.getByLabelText('Description (optional)'), 'bad\u0000');
    await userEvent.click(screen.getByRole('button', { name: 'Create stream' }));
    expect(await screen.findByText('Name is already used by another of your streams')).toBeInTheDocument();
    expect(screen.getByLabelText('Name')).toHaveAccessibleDescription('Name is already used by another of your streams');
    expect(screen.getByLabelText('Description (optional)')).toHaveAccessibleDescription(
      'Description contains forbidden characters',
    );
    expect(screen.queryByRole('alert')).toBeNull(); // everything was attributed to a field
  });

  it('shows a form-level message for errors that are not about a field', async () => {
    const onSubmit = vi.fn().mockRejectedValue(new Error('Cannot reach the server.'));
    render(<StreamForm submitLabel="Save" onSubmit={onSubmit} initial={{ name: 'x' }} />);
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Cannot reach the server.');
  });

  it('submits trimmed values with visibility and recording choices', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    const { calls } = installFakeFetch({ 'POST /api/streams': () => json(201, { stream: { id: 's1' }, ingest: {} }) });
    render(<StreamForm submitLabel="Create stream" onSubmit={async (input) => void (await createStream(input))} />);
    await userEvent.type(screen.getByLabelText('Name'), '  Friday show  ');
    await userEvent.click(screen.getByLabelText(/Private/));
    await userEvent.click(screen.getByLabelText(/Record broadcasts/));
    await userEvent.click(screen.getByRole('button', { name: 'Create stream' }));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]!.body).toEqual({ name: 'Friday show', description: '', visibility: 'private', record: false, reconnectWindowSeconds: 60 });
  });

  it('sends the reconnect window, refuses what the API would, and edits an existing value', async () => {
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    render(<StreamForm submitLabel="Save" onSubmit={onSubmit} initial={{ name: 'x', reconnectWindowSeconds: 0 }} />);
    const field = screen.getByLabelText('Reconnect window (seconds)');
    expect(field).toHaveValue('0');
    for (const [typed, message] of [
      ['1801', 'The reconnect window can be at most 1800 seconds.'],
      ['-5', 'Enter a whole number of seconds (0 turns it off).'],
      ['1.5', 'Enter a whole number of seconds (0 turns it off).'],
      ['', 'Enter a whole number of seconds (0 turns it off).'],
    ] as const) {
      await userEvent.clear(field);
      if (typed) await userEvent.type(field, typed);
      await userEvent.click(screen.getByRole('button', { name: 'Save' }));
      expect(field).toHaveAccessibleDescription(expect.stringContaining(message));
    }
    expect(onSubmit).not.toHaveBeenCalled();
    await userEvent.clear(field);
    await userEvent.type(field, '120');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await vi.waitFor(() => expect(onSubmit).toHaveBeenCalledOnce());
    expect(onSubmit.mock.calls[0]![0]).toMatchObject({ reconnectWindowSeconds: 120 });
  });

  it('shows the API message for the reconnect window next to its field', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    installFakeFetch({
      'POST /api/streams': () => apiError(400, 'validation_error', 'Invalid request body', [{ path: 'reconnectWindowSeconds', message: 'reconnectWindowSeconds must be at most 1800' }]),
    });
    render(<StreamForm submitLabel="Create stream" onSubmit={async (input) => void (await createStream(input))} />);
    await userEvent.type(screen.getByLabelText('Name'), 'Show');
    await userEvent.click(screen.getByRole('button', { name: 'Create stream' }));
    expect(await screen.findByText('reconnectWindowSeconds must be at most 1800')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
