import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ListTable } from './ListTable';

const rows = (items: readonly string[]) => items.map((x) => (
  <tr key={x}>
    <td>{x}</td>
    <td>
      <button type="button">Delete {x}</button>
    </td>
  </tr>
));
const props = { caption: 'Things', columns: ['Name', null] as const, loading: false, error: undefined, reload: () => undefined, loadingLabel: 'Loading things…' };

describe('ListTable', () => {
  it('a table named by its caption, the actions column named for screen readers only', () => {
    render(<ListTable {...props} items={['a', 'b']} empty="No things yet.">{rows}</ListTable>);
    const table = screen.getByRole('table', { name: 'Things' });
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Name', 'Actions']);
    expect(within(table).getByText('Actions')).toHaveClass('visually-hidden');
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(screen.queryByText('No things yet.')).toBeNull();
  });

  it('loading, then none in words (or nothing without `empty`), never an empty table', () => {
    const { rerender } = render(<ListTable {...props} loading items={undefined} empty="No things yet.">{rows}</ListTable>);
    expect(screen.getByRole('status')).toHaveTextContent('Loading things…');
    rerender(<ListTable {...props} items={[]} empty="No things yet.">{rows}</ListTable>);
    expect(screen.getByText('No things yet.')).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
    rerender(<ListTable {...props} items={[]}>{rows}</ListTable>);
    expect(screen.queryByText('No things yet.')).toBeNull();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('a failed load is an alert whose retry reloads; rows already shown stay', async () => {
    const reload = vi.fn();
    render(<ListTable {...props} items={['a']} error={new Error('Database unavailable')} reload={reload}>{rows}</ListTable>);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Database unavailable');
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(reload).toHaveBeenCalledOnce();
    expect(screen.getByRole('table', { name: 'Things' })).toBeInTheDocument();
  });
});
