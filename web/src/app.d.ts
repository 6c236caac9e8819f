declare global {
  namespace App {
    interface Error {
      message: string;
      code?: string;
    }
    interface PageData {
      /**
       * The signed-in viewer's profile time zone (the mentoring pages' layout loads it): times
       * rendered on the server use it until the page knows the browser's zone.
       */
      viewerTimeZone?: string | null;
    }
  }
}

export {};
