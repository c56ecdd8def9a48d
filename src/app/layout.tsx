import type { Metadata } from 'next';
import { SiteHeader } from './_components/site-header';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'School ERP', template: '%s · School ERP' },
  description: 'Schools, students, staff and attendance, with trustworthy backups.',
};

/** The app shell: header, navigation and the page, with no external assets. */
export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <SiteHeader />
        <main id="main" className="page">
          {children}
        </main>
      </body>
    </html>
  );
}
