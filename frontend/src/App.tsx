/** The app shell: shows the page the address bar points to. */
import { WorkspacePage } from "./pages/WorkspacePage";
import { StartPage } from "./pages/StartPage";
import { useRoute } from "./router";

/** The start page at "/", a workspace at "/w/{id}#{token}" (its training view with "?view=training"). */
export function App() {
  const route = useRoute();
  if (route.page === "start") return <StartPage />;
  return <WorkspacePage key={`${route.id}#${route.token}`} id={route.id} token={route.token} view={route.view} />;
}
