/** The viewer's sidebar: what this link lets a reader do, in place of the forms that write. */

/** Says the link only reads, and points at what a reader can do with it. */
export function ViewerGuide() {
  return (
    <>
      <p className="sidebar__note">You opened a viewer link: you can watch this workspace but not change it.</p>
      <ul className="viewer-guide" aria-label="What you can do">
        <li>Changes made with the editor link appear here live.</li>
        <li>Click a card to inspect its value and gradient, or to gradcheck it.</li>
        <li>The tape lists the operations backprop would walk back through.</li>
        <li>Export JSON or Python from the top bar to keep a copy you can change.</li>
      </ul>
    </>
  );
}
