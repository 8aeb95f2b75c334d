-- nothing here;
/* nor; here */
