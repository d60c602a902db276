import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <section className="card narrow">
      <h1>Page not found</h1>
      <p>
        <Link to="/streams">Go to your streams</Link>
      </p>
    </section>
  );
}
