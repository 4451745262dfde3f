/** Whether an element is on screen, so a panel out of view can stop asking the server. */
import { type RefObject, useEffect, useState } from "react";

/** True while some of `ref`'s element lies in the window (false before it is drawn). */
export function useInView(ref: RefObject<Element | null>): boolean {
  const [inView, setInView] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (element === null) return;
    const observer = new IntersectionObserver(([entry]) => setInView(entry?.isIntersecting ?? false));
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return inView;
}
