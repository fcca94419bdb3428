import { Link } from 'react-router';

export function NotFound() {
  return (
    <section className="empty-state">
      <h1>Page not found</h1>
      <p>This address is not a page of ContentOS, or the item no longer exists in this organization.</p>
      <Link to="/">Go to the dashboard</Link>
    </section>
  );
}
