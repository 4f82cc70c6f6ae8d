import './added-badge.css';

/** The "added by you" mark on a letter added in this browser rather than bundled with the site. */
export function AddedBadge() {
  return <span className="added-badge">added by you</span>;
}
