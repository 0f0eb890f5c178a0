/**
 * Saves text as a file from the page. The console's downloads need the bearer token (a header), so a
 * plain link cannot fetch them: the text is fetched by the API client and handed over as a Blob's
 * object URL, which the same-origin CSP allows.
 */
export function saveFile(text: string, filename: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The click starts the download asynchronously; the URL is let go once it surely has.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
